/// The role a provider plays in a rotation.
public enum ProviderKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Makes and revokes credentials (`source:`).
    case source
    /// Receives the new value (`targets:`).
    case target
    /// Proves the new value works (`checks:`).
    case check
}
