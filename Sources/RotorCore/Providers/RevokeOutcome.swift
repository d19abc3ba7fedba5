/// What a revoke found at the source, for the audit trail: both mean the credential is dead.
public enum RevokeOutcome: String, Sendable, Equatable {
    /// This call revoked it.
    case revoked
    /// The source says it was revoked already (a retry after a crash, or a vendor's 404/410).
    case alreadyRevoked
}
