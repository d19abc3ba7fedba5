/// A private or public key that cannot be read or used for signing. Never carries the key: only what kind of
/// text was expected and what to do about it.
public struct SigningKeyError: Error, CustomStringConvertible, Equatable {
    public let description: String

    init(_ description: String) { self.description = description }

    /// The text is not a PEM private key OpenSSL can read (or is encrypted with a passphrase).
    static let notAPrivateKey = SigningKeyError(
        "the value is not a PEM private key (expected -----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----, "
            + "unencrypted); paste the whole .pem file GitHub downloaded")
    /// The text is a private key, but not an RSA one.
    static let notRSA = SigningKeyError("the value is a private key, but not an RSA key; RS256 needs an RSA key")
    /// The text is not a PEM public key.
    static let notAPublicKey = SigningKeyError("not a PEM public key (expected -----BEGIN PUBLIC KEY-----)")
    /// A libcrypto call failed (its reason names the function, never the data).
    static func openSSL(_ function: String) -> SigningKeyError {
        SigningKeyError("\(function) failed: \(OpenSSL.drainErrors() ?? "no reason given")")
    }
}
