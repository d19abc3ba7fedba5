/// The facts of a vendor API call that did not end in the documented success, gathered by
/// `VendorAPIClient` and handed to the adapter's `VendorDialect` to be worded for the operator.
///
/// Every text in it that came from the vendor or the transport is already scrubbed of the call's secrets.
public struct VendorAPIFailure: Sendable {
    /// The classification every adapter shares: `unreachable` (no response), `rejectedToken` (401, 403),
    /// `notFound` (404), `rateLimited` (429), `refused` (other 4xx), `serverError` (anything else that
    /// is not 2xx), `unexpectedResponse` (a 2xx body that did not decode).
    public let reason: VendorAPIError.Reason
    /// The HTTP status, nil when there was no response.
    public let status: Int?
    /// The vendor's error code from the body (Vercel's `error.code`, Render's `id`), if it had one.
    public let code: String?
    /// The vendor's error message from the body, at most 300 characters; for `unreachable`, the
    /// transport error instead.
    public let message: String?
    /// What the call tried to do, as a verb phrase: `write OPENAI_API_KEY`.
    public let action: String
    /// What the call addressed, as a noun phrase: `project web-app`.
    public let subject: String
    /// The API base URL the call went to (no secrets: tokens travel in headers).
    public let base: String

    /// Collects the facts; `code` and `message` must already be scrubbed.
    public init(reason: VendorAPIError.Reason, status: Int?, code: String? = nil, message: String? = nil,
                action: String, subject: String, base: String) {
        self.reason = reason
        self.status = status
        self.code = code
        self.message = message
        self.action = action
        self.subject = subject
        self.base = base
    }

    /// The shared reason for a non-2xx status.
    public static func reason(forStatus status: Int) -> VendorAPIError.Reason {
        switch status {
        case 401, 403: .rejectedToken
        case 404: .notFound
        case 429: .rateLimited
        case 400..<500: .refused
        default: .serverError
        }
    }
}
