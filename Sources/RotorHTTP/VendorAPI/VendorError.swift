/// A vendor adapter's own error type (`VercelError`, `RenderError`): a distinct type per vendor, so a
/// caller can tell them apart, with the reason, status and description of a `VendorAPIError`.
///
/// A conforming type stores only `error`; the protocol extension supplies the rest.
public protocol VendorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The adapter's reasons: the shared ones, plus any it declares in an extension.
    typealias Reason = VendorAPIError.Reason

    /// The shared details.
    var error: VendorAPIError { get }

    /// Wraps the shared details.
    init(_ error: VendorAPIError)
}

extension VendorError {
    /// An error whose `description` is already worded and scrubbed.
    public init(_ reason: Reason, status: Int? = nil, _ description: String) {
        self.init(VendorAPIError(reason, status: status, description))
    }

    /// What went wrong.
    public var reason: Reason { error.reason }
    /// The HTTP status the vendor answered with, when there was one.
    public var status: Int? { error.status }
    /// A full sentence for the operator: target, cause, next step. Never a secret.
    public var description: String { error.description }
}
