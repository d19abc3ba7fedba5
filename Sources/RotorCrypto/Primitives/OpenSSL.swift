import COpenSSL

/// Small helpers shared by the wrappers around libcrypto.
enum OpenSSL {
    /// libcrypto takes `int` lengths in places; larger inputs are fed in chunks of this size.
    static let maximumChunk = 1 << 30

    /// Calls `body` with a pointer that is never NULL, even for an empty buffer: some libcrypto
    /// entry points treat a NULL pointer as "no argument" (HMAC keys, for one) although the length
    /// is zero.
    static func withNonNullBase<R>(
        _ buffer: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafePointer<UInt8>, Int) throws -> R
    ) rethrows -> R {
        if let base = buffer.baseAddress {
            return try body(base, buffer.count)
        }
        return try withUnsafePointer(to: UInt8(0)) { try body($0, 0) }
    }

    /// Same as `withNonNullBase(_:_:)` for an array.
    static func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>, Int) throws -> R) rethrows -> R {
        try bytes.withUnsafeBufferPointer { try withNonNullBase($0, body) }
    }

    /// Drains this thread's libcrypto error queue and returns the oldest entry as text.
    ///
    /// The queue is per thread and outlives the failing call; draining it keeps a stale entry from
    /// being blamed on a later, unrelated failure. libcrypto's error strings name the library,
    /// function and reason, never the data being processed.
    static func drainErrors() -> String? {
        var first: UInt = 0
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            if first == 0 { first = code }
        }
        guard first != 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: 256)
        buffer.withUnsafeMutableBufferPointer { ERR_error_string_n(first, $0.baseAddress, $0.count) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
