import Foundation

/// A single-use token that lets an owner answer a warning (SKIP, rotate now) by link or by short code.
public struct ReplyTokenRecord: Sendable, Equatable {
    public var id: String
    /// Hash of the token in the signed link; the token itself is never stored.
    public var tokenHash: [UInt8]
    /// Hash of the short code to reply with on chat or e-mail, if one was issued; the code itself is
    /// never stored (``ReplyTokens/codeHash(_:)``).
    public var codeHash: [UInt8]?
    public var secretName: String
    /// `"skip"` or `"rotate-now"`.
    public var action: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?

    public init(
        id: String,
        tokenHash: [UInt8],
        codeHash: [UInt8]? = nil,
        secretName: String,
        action: String,
        createdAt: Date,
        expiresAt: Date,
        usedAt: Date? = nil
    ) {
        self.id = id
        self.tokenHash = tokenHash
        self.codeHash = codeHash
        self.secretName = secretName
        self.action = action
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
    }
}
