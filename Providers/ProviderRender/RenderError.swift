import RotorHTTP

/// Why a Render target could not write its variable or get it live.
///
/// Its reasons, status and description are a `VendorAPIError`'s. The description names the target, the
/// HTTP status and what to do next, and never holds the API key or the value.
public struct RenderError: VendorError {
    /// The reason, status and description.
    public let error: VendorAPIError

    /// Wraps the shared details.
    public init(_ error: VendorAPIError) { self.error = error }
}
