import COpenSSL

/// HMAC-SHA256 (RFC 2104, FIPS 198-1) through OpenSSL's EVP_MAC API.
public enum HMACSHA256 {
    /// Size of a MAC in bytes.
    public static let byteCount = 32

    /// The 32-byte HMAC-SHA256 of `message` under `key`. Any key length works; keys longer than
    /// the 64-byte block are hashed first, as the standard says.
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        var length = 0
        let result = OpenSSL.withBytes(key) { keyPointer, keyCount in
            OpenSSL.withBytes(message) { messagePointer, messageCount in
                output.withUnsafeMutableBufferPointer {
                    // EVP_Q_mac fetches the MAC, sets the digest and frees its context itself.
                    EVP_Q_mac(nil, "HMAC", nil, "SHA256", nil,
                              keyPointer, keyCount, messagePointer, messageCount,
                              $0.baseAddress, byteCount, &length)
                }
            }
        }
        precondition(result != nil && length == byteCount,
                     "EVP_Q_mac(HMAC-SHA256) failed: \(OpenSSL.drainErrors() ?? "no reason given")")
        return output
    }

    /// Whether `mac` is the HMAC-SHA256 of `message` under `key`, compared in constant time.
    public static func verify(_ mac: [UInt8], key: [UInt8], message: [UInt8]) -> Bool {
        ConstantTime.equals(authenticate(key: key, message: message), mac)
    }
}
