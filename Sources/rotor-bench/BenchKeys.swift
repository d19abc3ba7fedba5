import RotorCrypto
import RotorKeyTable

/// Keys the HTTP bench presents besides a valid one.
enum BenchKeys {
    /// Shape and checksum right, never issued: costs the HMAC and the lookup.
    static func wellFormedUnknown() -> String {
        let body = APIKeyFormat.prefix + Base62.randomString(length: APIKeyFormat.randomLength)
        return body + Base62.encode(CRC32.checksum(Array(body.utf8)), width: APIKeyFormat.checksumLength)
    }

    /// A typo in a real-looking key: refused before any HMAC.
    static func badChecksum() -> String {
        var key = Array(wellFormedUnknown().utf8)
        key[12] = key[12] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        return String(decoding: key, as: UTF8.self)
    }
}
