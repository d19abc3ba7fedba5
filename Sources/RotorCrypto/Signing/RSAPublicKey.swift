import COpenSSL

/// An RSA public key read from PEM (`-----BEGIN PUBLIC KEY-----`) that checks RS256 signatures
/// (RSASSA-PKCS1-v1_5, SHA-256). Not `Sendable`, like ``RSAPrivateKey``.
public final class RSAPublicKey {
    private let pkey: OpaquePointer

    /// Reads a PEM public key.
    ///
    /// - Throws: ``SigningKeyError`` when the text is not an RSA public key.
    public init(pem: String) throws(SigningKeyError) {
        let read = PEMText.reading(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, { _, _, _, _ in 0 }, nil) }
        _ = OpenSSL.drainErrors()
        guard let read else { throw .notAPublicKey }
        guard EVP_PKEY_get_base_id(read) == EVP_PKEY_RSA else {
            EVP_PKEY_free(read)
            throw .notAPublicKey
        }
        pkey = read
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Whether `signature` is this key's RS256 signature of `message`.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else {
            _ = OpenSSL.drainErrors()
            return false
        }
        let result = OpenSSL.withBytes(signature) { signaturePointer, signatureCount in
            OpenSSL.withBytes(message) { EVP_DigestVerify(context, signaturePointer, signatureCount, $0, $1) }
        }
        _ = OpenSSL.drainErrors()
        return result == 1
    }
}
