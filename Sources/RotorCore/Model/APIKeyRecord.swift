import Foundation

/// One of Rotor's own customer API keys. The key itself is never stored: only its HMAC, prefix and last 4.
public struct APIKeyRecord: Sendable, Equatable {
    public var id: String
    /// HMAC-SHA256(pepper, key): what a presented key is looked up by.
    public var keyHash: [UInt8]
    /// Display prefix, for example `rk_live_ab12`.
    public var prefix: String
    public var last4: String
    /// The customer organisation that owns the key.
    public var org: String
    public var name: String
    public var scopes: [String]
    /// Requests per minute, if limited.
    public var rateLimit: Int?
    public var status: APIKeyStatus
    public var createdAt: Date
    public var expiresAt: Date?
    public var graceEndsAt: Date?
    public var lastUsedAt: Date?
    /// The key this one replaced, when it was created by a rotation.
    public var rotatedFrom: String?
    public var revokedAt: Date?
    public var revokeReason: String?
    /// How many times the key was presented after it was revoked or expired (kept by the servers' key index).
    public var oldKeyUses: Int
    /// The latest such use.
    public var oldKeyUsedAt: Date?

    public init(
        id: String,
        keyHash: [UInt8],
        prefix: String,
        last4: String,
        org: String,
        name: String,
        scopes: [String] = [],
        rateLimit: Int? = nil,
        status: APIKeyStatus = .active,
        createdAt: Date,
        expiresAt: Date? = nil,
        graceEndsAt: Date? = nil,
        lastUsedAt: Date? = nil,
        rotatedFrom: String? = nil,
        revokedAt: Date? = nil,
        revokeReason: String? = nil,
        oldKeyUses: Int = 0,
        oldKeyUsedAt: Date? = nil
    ) {
        self.id = id
        self.keyHash = keyHash
        self.prefix = prefix
        self.last4 = last4
        self.org = org
        self.name = name
        self.scopes = scopes
        self.rateLimit = rateLimit
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.graceEndsAt = graceEndsAt
        self.lastUsedAt = lastUsedAt
        self.rotatedFrom = rotatedFrom
        self.revokedAt = revokedAt
        self.revokeReason = revokeReason
        self.oldKeyUses = oldKeyUses
        self.oldKeyUsedAt = oldKeyUsedAt
    }
}
