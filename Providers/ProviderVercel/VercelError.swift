import RotorHTTP

/// Why a Vercel target could not write its variable or get it live.
///
/// Its reasons, status and description are a `VendorAPIError`'s; it adds `nothingToRedeploy`. The
/// description names the target, the HTTP status and what to do next, and never holds the token or the
/// value.
public struct VercelError: VendorError {
    /// The reason, status and description.
    public let error: VendorAPIError

    /// Wraps the shared details.
    public init(_ error: VendorAPIError) { self.error = error }
}

extension VendorAPIError.Reason {
    /// The project has no READY production deployment to redeploy (Vercel).
    public static let nothingToRedeploy = Self("nothing to redeploy")
    /// An Instant Rollback is in force: production does not take new deployments (Vercel).
    public static let rollbackInForce = Self("instant rollback in force")
    /// What a variable held cannot be put back exactly on rollback (Vercel `sensitive`).
    public static let unrestorable = Self("cannot restore")
}
