import Foundation

/// One value of a secret, stored sealed. The store never sees the plain value: it keeps the bytes it is given.
public struct SecretVersionRecord: Sendable, Equatable {
    /// App-generated unique id; also bound into the seal as associated data.
    public var id: String
    public var secretName: String
    public var label: VersionLabel
    /// The AES-256-GCM sealed value (nonce, ciphertext, tag), opaque to the store.
    public var sealedValue: [UInt8]
    /// Id of the master key that sealed `sealedValue`, so the master key can be rotated.
    public var masterKeyID: String
    /// First 8 hex digits of SHA-256 of the plain value: how logs and audit refer to it.
    public var fingerprint: String
    /// Last 4 characters of the plain value, for display as `sk-...x7K2`.
    public var last4: String
    /// A well-known prefix of the value shown before the ellipsis (`sk-` in `sk-…x7K2`); may be empty.
    public var displayPrefix: String
    /// The source's own handle for this credential (vendor key id, role name), used to revoke it.
    public var sourceHandle: String?
    /// The rotation that created this version, if any.
    public var rotationID: String?
    public var createdAt: Date
    public var activatedAt: Date?
    public var revokedAt: Date?

    public init(
        id: String,
        secretName: String,
        label: VersionLabel,
        sealedValue: [UInt8],
        masterKeyID: String,
        fingerprint: String,
        last4: String,
        displayPrefix: String = "",
        sourceHandle: String? = nil,
        rotationID: String? = nil,
        createdAt: Date,
        activatedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.secretName = secretName
        self.label = label
        self.sealedValue = sealedValue
        self.masterKeyID = masterKeyID
        self.fingerprint = fingerprint
        self.last4 = last4
        self.displayPrefix = displayPrefix
        self.sourceHandle = sourceHandle
        self.rotationID = rotationID
        self.createdAt = createdAt
        self.activatedAt = activatedAt
        self.revokedAt = revokedAt
    }
}
