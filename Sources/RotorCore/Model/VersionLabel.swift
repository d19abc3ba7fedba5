/// The stage label of a secret version, after AWS Secrets Manager's model:
/// `pending` → `current` → `previous` → `revoked`, with exactly one `current` per secret.
public enum VersionLabel: String, Sendable, Hashable, Codable, CaseIterable {
    /// Generated and stored, not yet live everywhere.
    case pending
    /// The value every target should hold.
    case current
    /// The value replaced by `current`, still valid until the grace period ends.
    case previous
    /// Revoked at its source; kept for audit only.
    case revoked
    /// A pending value that was abandoned by a rollback.
    case failed
}
