import Foundation

/// One persisted dashboard session as the store keeps it: found by a hash of its key, its value sealed.
///
/// Neither the session's id (the cookie) nor anything it holds (who signed in, the CSRF token) is in the row in
/// clear: `keyHash` is the SHA-256 (hex) of the persist key and `sealedValue` is sealed under the master key
/// named by `masterKeyID`, bound to `keyHash` (``SealingContext/session(keyHash:)``).
public struct SessionRecord: Sendable, Equatable {
    /// SHA-256 (hex) of the persist key.
    public var keyHash: String
    /// `nonce || ciphertext || tag` of the value's JSON.
    public var sealedValue: [UInt8]
    public var masterKeyID: String
    /// When the session ends; nil for none.
    public var expiresAt: Date?
    public var createdAt: Date

    public init(keyHash: String, sealedValue: [UInt8], masterKeyID: String, expiresAt: Date?, createdAt: Date) {
        self.keyHash = keyHash
        self.sealedValue = sealedValue
        self.masterKeyID = masterKeyID
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}
