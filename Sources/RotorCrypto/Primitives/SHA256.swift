import COpenSSL

/// SHA-256 (FIPS 180-4) through OpenSSL's EVP digest API.
public enum SHA256 {
    /// Size of a digest in bytes.
    public static let byteCount = 32

    /// The 32-byte digest of `data`.
    public static func hash<D: Collection>(_ data: D) -> [UInt8] where D.Element == UInt8 {
        if let digest = data.withContiguousStorageIfAvailable(digest) {
            return digest
        }
        return Array(data).withUnsafeBufferPointer(digest)
    }

    /// The digest of `data` as 64 lowercase hex characters.
    public static func hex<D: Collection>(_ data: D) -> String where D.Element == UInt8 {
        Hex.encode(hash(data))
    }

    private static func digest(_ data: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = OpenSSL.withNonNullBase(data) { pointer, count in
            output.withUnsafeMutableBufferPointer {
                EVP_Digest(pointer, count, $0.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // SHA-256 cannot fail on valid input; failure means libcrypto itself is unusable.
        precondition(status == 1 && length == UInt32(byteCount),
                     "EVP_Digest(SHA-256) failed: \(OpenSSL.drainErrors() ?? "no reason given")")
        return output
    }
}
