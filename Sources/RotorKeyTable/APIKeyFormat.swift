import RotorCrypto

/// The shape of the company's own API keys: `rk_live_` + 32 random base62 characters + a 6-character
/// base62 CRC32 of everything before it (GitHub's scheme). Secret scanners can recognise a leaked key,
/// and a mistyped key is rejected without touching the database.
public enum APIKeyFormat {
    public static let prefix = "rk_live_"
    public static let randomLength = 32
    public static let checksumLength = 6
    public static let length = prefix.count + randomLength + checksumLength
    /// Characters of the key shown in lists: the prefix and 4 random characters, e.g. `rk_live_a1B2`.
    public static let displayPrefixLength = prefix.count + 4

    public static func generate() -> String {
        let body = prefix + Base62.randomString(length: randomLength)
        return body + checksum(body)
    }

    static func checksum(_ body: String) -> String {
        Base62.encode(CRC32.checksum(Array(body.utf8)), width: checksumLength)
    }

    public enum Problem: String, Sendable {
        case badFormat = "bad_format"
        case badChecksum = "bad_checksum"
    }

    /// Checks shape and checksum only.
    public static func check(_ key: String) -> Problem? {
        let bytes = Array(key.utf8)
        guard bytes.count == length, key.hasPrefix(prefix) else { return .badFormat }
        let alphabet = Set(Base62.alphabet.utf8)
        guard bytes[prefix.count...].allSatisfy(alphabet.contains) else { return .badFormat }
        let body = String(decoding: bytes[..<(prefix.count + randomLength)], as: UTF8.self)
        let sum = String(decoding: bytes[(prefix.count + randomLength)...], as: UTF8.self)
        return checksum(body) == sum ? nil : .badChecksum
    }

    public static func displayPrefix(_ key: String) -> String { String(key.prefix(displayPrefixLength)) }
    public static func last4(_ key: String) -> String { String(key.suffix(4)) }
}
