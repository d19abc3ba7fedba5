import Foundation
import RotorCrypto

/// Single-use, expiring tokens for the links in warnings, and short codes for text replies.
/// Only HMAC-SHA256(key, token) is stored; the key is sealed in the store's settings.
public struct ReplyTokens: Sendable {
    public static let keySetting = "reply_tokens.key"
    let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    public static func load(store: any Store, sealer: Sealer) async throws -> ReplyTokens {
        ReplyTokens(key: try await SealedSetting.loadOrCreate(keySetting, store: store, sealer: sealer))
    }

    public func hash(_ token: String) -> [UInt8] { HMACSHA256.authenticate(key: key, message: Array(token.utf8)) }

    /// Issues a token for `action` on `secret` inside the caller's transaction; returns the token (for the link).
    public func issue(_ tx: any SettingsTransaction, secret: String, action: String, code: String?, expires: Date, at now: Date) throws -> String {
        let token = Base64URL.encode(SecureRandom.bytes(24))
        try tx.insertReplyToken(ReplyTokenRecord(id: "rtk_" + RotorIDs.random(), tokenHash: hash(token), code: code,
                                                 secretName: secret, action: action, createdAt: now, expiresAt: expires))
        return token
    }

    /// A code people can type: 8 characters, no look-alikes.
    public static func newCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<8).map { _ in alphabet[Int(SecureRandom.bytes(1)[0]) % alphabet.count] })
    }
}
