import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG (`RAND_bytes`).
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// Stops the process if the generator fails: there is no safe way to continue without
    /// randomness, and a caller that caught the error could fall back to something predictable.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: negative count \(count)")
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var offset = 0
            while offset < count {
                let chunk = min(count - offset, OpenSSL.maximumChunk)
                let status = RAND_bytes(buffer.baseAddress! + offset, Int32(chunk))
                precondition(status == 1, "RAND_bytes failed: \(OpenSSL.drainErrors() ?? "no reason given")")
                offset += chunk
            }
            initialized = count
        }
    }
}
