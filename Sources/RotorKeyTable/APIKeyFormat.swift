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
        var key = key
        return key.withUTF8 { check(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Checks shape and checksum of a key given as its UTF-8 bytes, without allocating: this runs on every
    /// verification, before the lookup.
    public static func check(utf8 bytes: UnsafeRawBufferPointer) -> Problem? {
        guard bytes.count == length else { return .badFormat }
        for (index, byte) in prefixBytes.enumerated() where bytes[index] != byte { return .badFormat }
        for index in prefixBytes.count..<length where !isDigit[Int(bytes[index])] { return .badFormat }
        // The checksum is compared digit by digit from the right, as `Base62.encode(_:width:)` writes it.
        var crc = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<(prefixBytes.count + randomLength)]))
        for index in stride(from: length - 1, through: length - checksumLength, by: -1) {
            guard bytes[index] == digits[Int(crc % 62)] else { return .badChecksum }
            crc /= 62
        }
        return crc == 0 ? nil : .badChecksum
    }

    private static let prefixBytes = Array(prefix.utf8)
    private static let digits = Array(Base62.alphabet.utf8)
    private static let isDigit: [Bool] = (0..<256).map { Base62.alphabet.utf8.contains(UInt8($0)) }

    public static func displayPrefix(_ key: String) -> String { String(key.prefix(displayPrefixLength)) }
    public static func last4(_ key: String) -> String { String(key.suffix(4)) }
}
