/// A key's 32-byte lookup hash as four words: hashed and compared without touching the heap.
struct KeyDigest: Hashable, Sendable {
    let a: UInt64, b: UInt64, c: UInt64, d: UInt64

    init(_ bytes: UnsafeRawBufferPointer) {
        precondition(bytes.count == 32, "a key digest is 32 bytes")
        a = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        b = bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        c = bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
        d = bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
    }

    /// One word is enough to hash: the digest is an HMAC output, uniformly random already.
    func hash(into hasher: inout Hasher) { hasher.combine(a) }

    /// What Dictionary asks for on every lookup (the hook `Hashable` declares for it), answered without running
    /// SipHash: the digest is an HMAC under a pepper no client knows, so its words are uniformly random and a
    /// client cannot aim keys at one bucket. The per-table seed is still mixed in.
    func _rawHashValue(seed: Int) -> Int {
        Int(truncatingIfNeeded: a) ^ seed
    }

    /// The digest of a stored key's hash; nil when it is not 32 bytes (a row written by hand).
    init?(_ bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self = bytes.withUnsafeBytes { KeyDigest($0) }
    }
}
