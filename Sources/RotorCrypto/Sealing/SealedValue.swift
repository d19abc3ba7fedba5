/// A value sealed with AES-256-GCM under a master key: what the store keeps instead of the value.
public struct SealedValue: Sendable, Equatable, CustomStringConvertible {
    /// Id of the master key that sealed `box` (`MasterKey.id`).
    public let keyID: String
    /// `nonce(12) || ciphertext || tag(16)`, as made by `AESGCM.seal`.
    public let box: [UInt8]

    /// Rebuilds a sealed value, for example from a database row.
    public init(keyID: String, box: [UInt8]) {
        self.keyID = keyID
        self.box = box
    }

    /// Names the key and size only; the box is ciphertext, but it has no business in logs either.
    public var description: String { "SealedValue(\(keyID), \(box.count) bytes)" }
}
