import COpenSSL

/// An HMAC-SHA256 key set up once: the SHA-256 states after the key's inner and outer pads (RFC 2104), so that
/// each MAC starts from copies of them. A copy is a plain struct copy, so a MAC allocates nothing and costs
/// only the message's blocks and the outer block, through OpenSSL's SHA-256 (with the CPU's SHA extensions).
///
/// For MACs computed many times under one key (the key table's lookup hashes). The states are never written
/// after `init`, so one instance may be shared by any number of threads.
public final class HMACSHA256Key: Sendable {
    private let inner: SHA256_CTX
    private let outer: SHA256_CTX

    /// Sets the key up. Any length works, as for ``HMACSHA256/authenticate(key:message:)``: a key longer than
    /// the 64-byte block is hashed first.
    public init(_ key: [UInt8]) {
        var block = key.count > 64 ? SHA256.hash(key) : key
        block += [UInt8](repeating: 0, count: 64 - block.count)
        func state(_ pad: UInt8) -> SHA256_CTX {
            var context = SHA256_CTX()
            let padded = block.map { $0 ^ pad }
            precondition(SHA256_Init(&context) == 1 && SHA256_Update(&context, padded, 64) == 1, "SHA-256 failed")
            return context
        }
        inner = state(0x36)
        outer = state(0x5C)
        for index in block.indices { block[index] = 0 }
    }

    /// The 32-byte HMAC-SHA256 of `message` under this key.
    public func authenticate(_ message: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: HMACSHA256.byteCount) { output, initialized in
            authenticate(message, into: UnsafeMutableRawBufferPointer(output))
            initialized = HMACSHA256.byteCount
        }
    }

    /// The MAC of `message`, for a byte array.
    public func authenticate(_ message: [UInt8]) -> [UInt8] {
        message.withUnsafeBytes { authenticate($0) }
    }

    /// Writes the MAC of `message` into `output` (at least 32 bytes), allocating nothing.
    public func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= HMACSHA256.byteCount, "an HMAC-SHA256 needs 32 bytes of output")
        let digest = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
        var context = inner
        var ok = SHA256_Update(&context, message.baseAddress ?? UnsafeRawPointer(digest), message.count) == 1
        ok = SHA256_Final(digest, &context) == 1 && ok
        // The inner hash is read into the outer state before the final hash overwrites it.
        context = outer
        ok = SHA256_Update(&context, digest, HMACSHA256.byteCount) == 1 && ok
        ok = SHA256_Final(digest, &context) == 1 && ok
        precondition(ok, "SHA-256 failed: \(OpenSSL.drainErrors() ?? "no reason given")")
    }
}
