/// Lifecycle of one of Rotor's own customer API keys.
public enum APIKeyStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Valid, the key its owner should use.
    case active
    /// Replaced by a newer key but still accepted until `graceEndsAt`.
    case grace
    /// No longer accepted.
    case revoked
}
