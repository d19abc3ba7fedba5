import COpenSSL

/// An RSA private key, read from PEM (PKCS#1 `RSA PRIVATE KEY`, as GitHub issues App keys, or PKCS#8
/// `PRIVATE KEY`) or generated, that signs RSASSA-PKCS1-v1_5 with SHA-256 (JWS `RS256`) through OpenSSL's EVP API.
///
/// Not `Sendable`: the wrapped `EVP_PKEY` is owned by this object and used from one place at a time. Read the key
/// where it is used; it is cheap.
public final class RSAPrivateKey {
    let pkey: OpaquePointer

    /// Reads a PEM private key. An encrypted key is refused (no passphrase prompt), as is a non-RSA key.
    ///
    /// - Throws: ``SigningKeyError``, which never quotes the text.
    public init(pem: String) throws(SigningKeyError) {
        // The password callback refuses: without it libcrypto would prompt on the terminal for an encrypted key.
        let read = PEMText.reading(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, { _, _, _, _ in 0 }, nil) }
        _ = OpenSSL.drainErrors()
        guard let read else { throw .notAPrivateKey }
        guard EVP_PKEY_get_base_id(read) == EVP_PKEY_RSA else {
            EVP_PKEY_free(read)
            throw .notRSA
        }
        pkey = read
    }

    private init(owning pkey: OpaquePointer) {
        self.pkey = pkey
    }

    deinit { EVP_PKEY_free(pkey) }

    /// A new key of `bits` bits (GitHub issues 2048).
    public static func generate(bits: Int32 = 2048) throws(SigningKeyError) -> RSAPrivateKey {
        guard let context = EVP_PKEY_CTX_new_from_name(nil, "RSA", nil) else { throw .openSSL("EVP_PKEY_CTX_new_from_name") }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_CTX_set_rsa_keygen_bits(context, bits) == 1,
              EVP_PKEY_generate(context, &key) == 1, let key else { throw .openSSL("EVP_PKEY_generate") }
        return RSAPrivateKey(owning: key)
    }

    /// The RS256 signature (RSASSA-PKCS1-v1_5, SHA-256) of `message`.
    public func sign(_ message: [UInt8]) throws(SigningKeyError) -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw .openSSL("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { throw .openSSL("EVP_DigestSignInit") }
        var length = 0
        let sized = OpenSSL.withBytes(message) { EVP_DigestSign(context, nil, &length, $0, $1) }
        guard sized == 1 else { throw .openSSL("EVP_DigestSign") }
        var signature = [UInt8](repeating: 0, count: length)
        let signed = OpenSSL.withBytes(message) { pointer, count in
            signature.withUnsafeMutableBufferPointer { EVP_DigestSign(context, $0.baseAddress, &length, pointer, count) }
        }
        guard signed == 1 else { throw .openSSL("EVP_DigestSign") }
        return Array(signature.prefix(length))
    }

    /// The key as PKCS#1 PEM (`-----BEGIN RSA PRIVATE KEY-----`), the form GitHub's "Generate a private key" downloads.
    public var pem: String {
        get throws(SigningKeyError) {
            guard let text = PEMText.writing({ PEM_write_bio_PrivateKey_traditional($0, pkey, nil, nil, 0, nil, nil) }) else {
                throw .openSSL("PEM_write_bio_PrivateKey_traditional")
            }
            return text
        }
    }

    /// The public half as PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo).
    public var publicKeyPEM: String {
        get throws(SigningKeyError) {
            guard let text = PEMText.writing({ PEM_write_bio_PUBKEY($0, pkey) }) else { throw .openSSL("PEM_write_bio_PUBKEY") }
            return text
        }
    }
}
