import RotorHTTP

/// Why a 1Password target could not write or restore its field. The description names the vault, the item
/// and the field, the HTTP status and what to do next; never the token or the value.
public struct OnePasswordError: VendorError {
    /// The reason, status and description.
    public let error: VendorAPIError

    /// Wraps the shared details.
    public init(_ error: VendorAPIError) { self.error = error }
}

extension VendorAPIError.Reason {
    /// The item has no field with the configured id or label, or several with that label (1Password).
    public static let noSuchField = Self("no such field")
}
