import Foundation

/// A rotated API key waiting, sealed, for its owner to pick it up once with the old key; wiped when claimed.
public struct KeyPickupRecord: Sendable, Equatable {
    public var id: String
    public var newKeyID: String
    /// The key whose holder may claim the new one.
    public var oldKeyID: String
    /// The new key, sealed under the master key; emptied when claimed or expired.
    public var sealedKey: [UInt8]
    public var masterKeyID: String
    public var createdAt: Date
    public var expiresAt: Date
    public var claimedAt: Date?

    public init(
        id: String,
        newKeyID: String,
        oldKeyID: String,
        sealedKey: [UInt8],
        masterKeyID: String,
        createdAt: Date,
        expiresAt: Date,
        claimedAt: Date? = nil
    ) {
        self.id = id
        self.newKeyID = newKeyID
        self.oldKeyID = oldKeyID
        self.sealedKey = sealedKey
        self.masterKeyID = masterKeyID
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.claimedAt = claimedAt
    }
}
