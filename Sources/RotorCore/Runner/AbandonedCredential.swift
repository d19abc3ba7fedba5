/// What a pass did about the credential an abandoned rotation minted (rolled back or failed, and never to be
/// undone again): revoked it, or left it valid and why.
public enum AbandonedCredential: Sendable, Equatable {
    /// Revoked at the source now, or found revoked already (a retry after a crash, a vendor's 404/410).
    case revoked(RevokeOutcome)
    /// The source replaced it in place: a version still in use was minted on the same handle (one database
    /// role's password), so revoking by that handle would break the value in use, and the old one is gone.
    case superseded
    /// Not revoked: a target holds it, or cannot be read to prove it does not. One line per target.
    case held([String])
    /// Not revoked yet: a later rotation of the secret may still write earlier values back (it is active, in
    /// grace, or its undo is pending). A later pass looks again.
    case deferred(String)
    /// The source's revoke failed (the reason, scrubbed of values); a later pass tries again.
    case failed(String)
    /// Nothing to do: revoked or in use already, or another process is on it.
    case nothing
}
