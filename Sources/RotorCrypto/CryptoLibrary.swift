import COpenSSL

/// The OpenSSL library Rotor is linked with, for `rotor version`.
public enum CryptoLibrary {
    public static var version: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }
}
