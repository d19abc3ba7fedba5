/// What a secret record stands for: one rotated credential, or the policy that rotates Rotor's own API keys.
public enum SecretKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// An external credential (vendor key, database password, token) that Rotor rotates and propagates.
    case secret
    /// The policy entry of Rotor's own key table; its "versions" are the customer API keys themselves.
    case keyPolicy = "key-policy"
}
