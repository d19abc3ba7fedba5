import Foundation
import RotorCrypto

/// A random secret Rotor needs for itself (the key table's pepper, the reply-link signing key), kept in
/// the store's settings sealed under the master key. Created on first use.
public enum SealedSetting {
    public static func loadOrCreate(_ key: String, byteCount: Int = 32, store: any Store, sealer: Sealer) async throws -> [UInt8] {
        let context = SealingContext.setting(key)
        let candidate = SecureRandom.bytes(byteCount)
        let sealed = try sealer.seal(candidate, context: context)
        let encoded = encode(sealed)
        // When two processes create it at once, both use whichever value the store kept.
        let stored = try await store.transaction { try $0.insertSettingIfAbsent(key, encoded) }
        guard let box = decode(stored) else { throw SealedSettingError.corrupt(key) }
        return try sealer.open(box, context: context)
    }

    /// The stored form of a sealed setting: `KEY_ID:BASE64`.
    public static func encode(_ sealed: SealedValue) -> [UInt8] {
        Array("\(sealed.keyID):\(Base64.encode(sealed.box))".utf8)
    }

    /// A stored sealed setting read back; nil when `bytes` is not one.
    public static func decode(_ bytes: [UInt8]) -> SealedValue? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let colon = text.firstIndex(of: ":"), let box = Base64.decode(String(text[text.index(after: colon)...])) else { return nil }
        return SealedValue(keyID: String(text[..<colon]), box: box)
    }
}

public enum SealedSettingError: Error, CustomStringConvertible {
    case corrupt(String)

    public var description: String {
        switch self {
        case .corrupt(let key): "the stored setting \(key) is not a sealed value; the store was edited by hand or is damaged"
        }
    }
}
