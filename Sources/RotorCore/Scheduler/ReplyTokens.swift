import Foundation
import RotorCrypto

/// Single-use, expiring tokens for the links in warnings, and short codes for text replies.
///
/// Neither is stored readable. The store keeps HMAC-SHA256(key, token) and HMAC-SHA256(key, code); a
/// message that carries them keeps each one sealed (``sealed(_:)``) until it is sent (``reveal(_:)``).
/// The key is sealed under the master key in the store's settings, so the store alone opens nothing.
public struct ReplyTokens: Sendable {
    public static let keySetting = "reply_tokens.key"
    let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    public static func load(store: any Store, sealer: Sealer) async throws -> ReplyTokens {
        ReplyTokens(key: try await SealedSetting.loadOrCreate(keySetting, store: store, sealer: sealer))
    }

    public func hash(_ token: String) -> [UInt8] { HMACSHA256.authenticate(key: key, message: Array(token.utf8)) }

    /// The stored form of a text-reply code, after the leniency replies get (surrounding space, any case).
    /// Kept apart from link hashes by a prefix, so that no code can be presented as a link or the reverse.
    public func codeHash(_ code: String) -> [UInt8] {
        HMACSHA256.authenticate(key: key, message: Array("code:".utf8) + Array(Self.normalizedCode(code).utf8))
    }

    /// A code as it is compared: without surrounding white space, in upper case.
    public static func normalizedCode(_ code: String) -> String {
        code.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
    }

    /// Issues a token for `action` on `secret` inside the caller's transaction; returns the token (for the link).
    public func issue(_ tx: any SettingsTransaction, secret: String, action: String, code: String?, expires: Date, at now: Date) throws -> String {
        let token = Base64URL.encode(SecureRandom.bytes(24))
        try tx.insertReplyToken(ReplyTokenRecord(id: "rtk_" + RotorIDs.random(), tokenHash: hash(token), codeHash: code.map(codeHash),
                                                 secretName: secret, action: action, createdAt: now, expiresAt: expires))
        return token
    }

    /// A code people can type: 8 characters, no look-alikes.
    public static func newCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return String((0..<8).map { _ in alphabet[Int(SecureRandom.bytes(1)[0]) % alphabet.count] })
    }

    // MARK: Sealed placeholders

    static let placeholderOpen = "{{sealed:"
    static let placeholderClose = "}}"

    /// Text that stands for `value` in a stored message: `{{sealed:…}}`, the value sealed (AES-256-GCM)
    /// under a key derived from this one. ``reveal(_:)`` puts the value back when the message is sent.
    public func sealed(_ value: String) throws -> String {
        let box = try AESGCM.seal(Array(value.utf8), key: sealingKey, associatedData: Self.sealingContext)
        return Self.placeholderOpen + Base64URL.encode(box) + Self.placeholderClose
    }

    /// `text` with every `{{sealed:…}}` placeholder replaced by its value. Throws ``ReplyTokensError``
    /// when one does not open: sealed under another installation's key, or altered.
    public func reveal(_ text: String) throws -> String {
        try open(text).text
    }

    /// ``reveal(_:)``, and the values it put in (for the caller to keep out of errors and logs).
    public func open(_ text: String) throws -> (text: String, values: [String]) {
        var result = ""
        var values: [String] = []
        var rest = text[...]
        while let open = rest.range(of: Self.placeholderOpen) {
            guard let close = rest[open.upperBound...].range(of: Self.placeholderClose) else { break }
            guard let box = Base64URL.decode(String(rest[open.upperBound..<close.lowerBound])),
                  let bytes = try? AESGCM.open(box, key: sealingKey, associatedData: Self.sealingContext) else {
                throw ReplyTokensError.sealedValueDoesNotOpen
            }
            let value = String(decoding: bytes, as: UTF8.self)
            values.append(value)
            result += rest[..<open.lowerBound] + value
            rest = rest[close.upperBound...]
        }
        return (result + rest, values)
    }

    /// The AES key of sealed placeholders: derived, so that the HMAC key is never used for two purposes.
    private var sealingKey: [UInt8] { HMACSHA256.authenticate(key: key, message: Array("rotor reply-tokens sealing key v1".utf8)) }
    private static let sealingContext = Array("rotor:v1:reply-tokens:sealed".utf8)
}
