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
        guard bytes.count == length, bytes.loadUnaligned(as: UInt64.self) == prefixWord else { return .badFormat }
        // The 32 random characters (bytes 8..<40) eight at a time: a few word operations instead of 32 rounds of compares.
        for offset in stride(from: 8, to: 40, by: 8) where !isBase62(word: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) {
            return .badFormat
        }
        // Six base-62 digits hold any UInt32 exactly (`Base62.encode(_:width:)`): read them as a number and compare.
        var written: UInt64 = 0
        for index in (length - checksumLength)..<length {
            guard isBase62(bytes[index]) else { return .badFormat }
            written = written * 62 + UInt64(base62Value(bytes[index]))
        }
        let computed = CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[..<(length - checksumLength)]))
        return written == UInt64(computed) ? nil : .badChecksum
    }

    /// The prefix's 8 bytes as one word, as `loadUnaligned` reads them.
    private static let prefixWord = Array(prefix.utf8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }

    @inline(__always) private static func isBase62(_ byte: UInt8) -> Bool {
        byte &- 0x30 < 10 || byte &- 0x41 < 26 || byte &- 0x61 < 26
    }

    /// Whether all eight bytes of `word` are base-62 digits: each range tested on every byte at once (SWAR). With
    /// every byte below 0x80 no byte's arithmetic carries into the next, so each high bit answers for its own byte.
    @inline(__always) private static func isBase62(word: UInt64) -> Bool {
        let high: UInt64 = 0x8080_8080_8080_8080
        let ones: UInt64 = 0x0101_0101_0101_0101
        guard word & high == 0 else { return false }
        /// High bit set in each byte within `low...top`.
        @inline(__always) func within(_ low: UInt64, _ top: UInt64) -> UInt64 {
            let atLeast = ((word | high) &- ones &* low) & high
            let above = (word &+ ones &* (0x7F - top)) & high
            return atLeast & ~above
        }
        return within(0x30, 0x39) | within(0x41, 0x5A) | within(0x61, 0x7A) == high
    }

    /// The digit's value in ``Base62/alphabet`` order (0–9, A–Z, a–z); only for bytes that pass `isBase62`.
    @inline(__always) private static func base62Value(_ byte: UInt8) -> UInt8 {
        byte <= 0x39 ? byte - 0x30 : byte <= 0x5A ? byte - 0x41 + 10 : byte - 0x61 + 36
    }

    public static func displayPrefix(_ key: String) -> String { String(key.prefix(displayPrefixLength)) }
    public static func last4(_ key: String) -> String { String(key.suffix(4)) }
}
