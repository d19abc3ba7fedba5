import COpenSSL

/// AES-256-GCM (NIST SP 800-38D) through OpenSSL's EVP cipher API.
///
/// `seal` and `open` are what Rotor uses: a random 96-bit nonce and a 128-bit tag, in a single
/// self-contained box `nonce(12) || ciphertext || tag(16)`. `encrypt` and `decrypt` expose the
/// raw mode with any IV length, for published test vectors.
public enum AESGCM {
    /// AES-256 key size in bytes.
    public static let keyByteCount = 32
    /// Nonce size used by `seal`, the length GCM is designed for.
    public static let nonceByteCount = 12
    /// Tag size in bytes; shorter (truncated) tags are refused.
    public static let tagByteCount = 16

    /// Encrypts and authenticates `plaintext`, binding `associatedData` to it.
    ///
    /// - Parameter nonce: leave nil to draw a fresh random nonce, which is what callers want.
    ///   Passing one is for tests: reusing a nonce under the same key breaks GCM completely.
    /// - Returns: `nonce(12) || ciphertext || tag(16)`.
    public static func seal(
        _ plaintext: [UInt8], key: [UInt8], associatedData: [UInt8], nonce: [UInt8]? = nil
    ) throws -> [UInt8] {
        let nonce = nonce ?? SecureRandom.bytes(nonceByteCount)
        guard nonce.count == nonceByteCount else {
            throw CryptoError.invalidNonceLength(expected: nonceByteCount, actual: nonce.count)
        }
        let sealed = try encrypt(plaintext: plaintext, key: key, iv: nonce, associatedData: associatedData)
        return nonce + sealed.ciphertext + sealed.tag
    }

    /// Authenticates and decrypts a box made by `seal`.
    ///
    /// - Throws: `CryptoError.authenticationFailed` if the box, key or associated data differ in
    ///   any bit from those used to seal; `CryptoError.boxTooShort` for a truncated box.
    public static func open(_ box: [UInt8], key: [UInt8], associatedData: [UInt8]) throws -> [UInt8] {
        try checkKey(key)
        let minimum = nonceByteCount + tagByteCount
        guard box.count >= minimum else {
            throw CryptoError.boxTooShort(minimum: minimum, actual: box.count)
        }
        let tagStart = box.count - tagByteCount
        return try decrypt(
            ciphertext: Array(box[nonceByteCount..<tagStart]),
            key: key,
            iv: Array(box[..<nonceByteCount]),
            associatedData: associatedData,
            tag: Array(box[tagStart...])
        )
    }

    /// Raw GCM encryption with an IV of any non-zero length (96 bits is the fast, standard case).
    public static func encrypt(
        plaintext: [UInt8], key: [UInt8], iv: [UInt8], associatedData: [UInt8]
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        try checkKey(key)
        guard !iv.isEmpty else { throw CryptoError.emptyIV }
        let context = try CipherContext(encrypting: true, key: key, iv: iv)
        try context.authenticate(associatedData)
        let ciphertext = try context.transform(plaintext)
        try context.finish()
        let tag = try context.tag()
        return (ciphertext, tag)
    }

    /// Raw GCM decryption; the 16-byte `tag` is checked before any plaintext is returned.
    public static func decrypt(
        ciphertext: [UInt8], key: [UInt8], iv: [UInt8], associatedData: [UInt8], tag: [UInt8]
    ) throws -> [UInt8] {
        try checkKey(key)
        guard !iv.isEmpty else { throw CryptoError.emptyIV }
        guard tag.count == tagByteCount else {
            throw CryptoError.invalidTagLength(expected: tagByteCount, actual: tag.count)
        }
        let context = try CipherContext(encrypting: false, key: key, iv: iv)
        try context.authenticate(associatedData)
        var plaintext = try context.transform(ciphertext)
        try context.setExpectedTag(tag)
        do {
            try context.finish()
        } catch {
            // Unauthenticated plaintext must not be used; wipe what we can before dropping it.
            for index in plaintext.indices { plaintext[index] = 0 }
            throw CryptoError.authenticationFailed
        }
        return plaintext
    }

    private static func checkKey(_ key: [UInt8]) throws {
        guard key.count == keyByteCount else {
            throw CryptoError.invalidKeyLength(expected: keyByteCount, actual: key.count)
        }
    }
}

/// Owns one `EVP_CIPHER_CTX` for a single GCM operation and frees it on every path.
///
/// Not Sendable: a libcrypto context is used by one thread at a time, and this one lives only
/// inside a single `AESGCM` call.
private final class CipherContext {
    private let context: OpaquePointer

    init(encrypting: Bool, key: [UInt8], iv: [UInt8]) throws {
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError.openSSL("EVP_CIPHER_CTX_new")
        }
        self.context = context
        let direction: Int32 = encrypting ? 1 : 0
        // Cipher first, then the IV length (it must be known before the IV is set), then key and IV.
        guard EVP_CipherInit_ex(context, EVP_aes_256_gcm(), nil, nil, nil, direction) == 1 else {
            throw CryptoError.openSSL("EVP_CipherInit_ex")
        }
        guard iv.count <= Int(Int32.max),
              EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(iv.count), nil) == 1 else {
            throw CryptoError.openSSL("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_IVLEN)")
        }
        let status = key.withUnsafeBufferPointer { keyBuffer in
            iv.withUnsafeBufferPointer { ivBuffer in
                EVP_CipherInit_ex(context, nil, nil, keyBuffer.baseAddress, ivBuffer.baseAddress, -1)
            }
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_CipherInit_ex") }
    }

    deinit {
        // Also wipes the expanded key schedule held by the context.
        EVP_CIPHER_CTX_free(context)
    }

    /// Feeds associated data; must come before any plaintext or ciphertext.
    func authenticate(_ associatedData: [UInt8]) throws {
        try associatedData.withUnsafeBufferPointer { input in
            try update(input, output: nil)
        }
    }

    /// Encrypts or decrypts `input`. GCM is a stream mode: output length equals input length.
    func transform(_ input: [UInt8]) throws -> [UInt8] {
        guard !input.isEmpty else { return [] }
        return try [UInt8](unsafeUninitializedCapacity: input.count) { output, initialized in
            try input.withUnsafeBufferPointer { try update($0, output: output.baseAddress) }
            initialized = input.count
        }
    }

    /// Completes the operation; when decrypting, this is where the tag is checked.
    func finish() throws {
        // GCM writes nothing here, but libcrypto wants a place to write to.
        var scratch = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
        var written: Int32 = 0
        let status = scratch.withUnsafeMutableBufferPointer {
            EVP_CipherFinal_ex(context, $0.baseAddress, &written)
        }
        guard status == 1, written == 0 else { throw CryptoError.openSSL("EVP_CipherFinal_ex") }
    }

    /// The tag of a finished encryption.
    func tag() throws -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: AESGCM.tagByteCount)
        let status = tag.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(AESGCM.tagByteCount), $0.baseAddress)
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_GET_TAG)") }
        return tag
    }

    /// Sets the tag a decryption must match; `finish` then checks it.
    func setExpectedTag(_ tag: [UInt8]) throws {
        // The control call takes a mutable pointer although it only reads the tag.
        var copy = tag
        let status = copy.withUnsafeMutableBytes {
            EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32($0.count), $0.baseAddress)
        }
        guard status == 1 else { throw CryptoError.openSSL("EVP_CIPHER_CTX_ctrl(EVP_CTRL_GCM_SET_TAG)") }
    }

    /// Runs `EVP_CipherUpdate` over `input` in int-sized chunks. A nil `output` feeds associated data.
    private func update(_ input: UnsafeBufferPointer<UInt8>, output: UnsafeMutablePointer<UInt8>?) throws {
        guard let base = input.baseAddress else { return }
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, OpenSSL.maximumChunk)
            var written: Int32 = 0
            let status = EVP_CipherUpdate(context, output.map { $0 + offset }, &written, base + offset, Int32(chunk))
            // Associated data produces no output, so only a data update is held to its length.
            guard status == 1, output == nil || Int(written) == chunk else {
                throw CryptoError.openSSL("EVP_CipherUpdate")
            }
            offset += chunk
        }
    }
}
