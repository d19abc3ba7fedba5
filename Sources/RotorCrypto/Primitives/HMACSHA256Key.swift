import COpenSSL

/// An HMAC-SHA256 key set up once: its context has the key's inner and outer pads already absorbed, and
/// each MAC works on a duplicate of it, so the per-call cost is a context copy and the message's blocks.
///
/// For MACs computed many times under one key (the key table's lookup hashes). The template context is
/// never written after `init`, so one instance may be shared by any number of threads.
public final class HMACSHA256Key: @unchecked Sendable {
    /// Written only in `init` and `deinit`; duplicated (a read) by every MAC.
    private let template: OpaquePointer

    /// Sets the key up. Any length works, as for ``HMACSHA256/authenticate(key:message:)``.
    public init(_ key: [UInt8]) {
        guard let mac = EVP_MAC_fetch(nil, "HMAC", nil), let context = EVP_MAC_CTX_new(mac) else {
            preconditionFailure("EVP_MAC_fetch(HMAC) failed: \(OpenSSL.drainErrors() ?? "no reason given")")
        }
        EVP_MAC_free(mac)
        let ok = "SHA256".withCString { digest -> Int32 in
            var parameters = [
                OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, UnsafeMutablePointer(mutating: digest), 0),
                OSSL_PARAM_construct_end(),
            ]
            return OpenSSL.withBytes(key) { pointer, count in EVP_MAC_init(context, pointer, count, &parameters) }
        }
        precondition(ok == 1, "EVP_MAC_init(HMAC-SHA256) failed: \(OpenSSL.drainErrors() ?? "no reason given")")
        template = context
    }

    deinit { EVP_MAC_CTX_free(template) }

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

    /// Writes the MAC of `message` into `output` (at least 32 bytes), allocating nothing but the context copy.
    public func authenticate(_ message: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= HMACSHA256.byteCount, "an HMAC-SHA256 needs 32 bytes of output")
        guard let context = EVP_MAC_CTX_dup(template) else {
            preconditionFailure("EVP_MAC_CTX_dup failed: \(OpenSSL.drainErrors() ?? "no reason given")")
        }
        defer { EVP_MAC_CTX_free(context) }
        var length = 0
        let updated = message.withMemoryRebound(to: UInt8.self) { bytes in
            OpenSSL.withNonNullBase(bytes) { EVP_MAC_update(context, $0, $1) }
        }
        let finished = EVP_MAC_final(context, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &length,
                                     HMACSHA256.byteCount)
        precondition(updated == 1 && finished == 1 && length == HMACSHA256.byteCount,
                     "HMAC-SHA256 failed: \(OpenSSL.drainErrors() ?? "no reason given")")
    }
}
