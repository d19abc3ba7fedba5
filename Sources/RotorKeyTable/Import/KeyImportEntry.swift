import RotorCore

/// One line of a key import: the key to create, or the existing key to adopt.
public struct KeyImportEntry: Sendable {
    /// The line of the input it came from (1-based), for reports.
    public var line: Int
    public var org: String
    public var name: String
    public var scopes: [String]
    /// An existing `rk_live_` key to keep (stored, like every key, as its HMAC only); nil: mint a new one.
    public var adoptedKey: SecretValue?

    public init(line: Int, org: String, name: String, scopes: [String], adoptedKey: SecretValue?) {
        self.line = line
        self.org = org
        self.name = name
        self.scopes = scopes
        self.adoptedKey = adoptedKey
    }
}
