import COpenSSL

/// The OpenSSL library Rotor is linked with.
public enum CryptoLibrary {
    /// For `rotor version`.
    public static var version: String { String(cString: OpenSSL_version(OPENSSL_VERSION)) }

    /// Initialises libcrypto without its exit-time cleanup. Call first thing in `main`, before libcurl, libpq
    /// or Rotor itself touch OpenSSL. By default OpenSSL registers `OPENSSL_cleanup` with `atexit`, which
    /// frees the library's global state while Dispatch worker threads may still be hashing or sealing: a
    /// process that exits with work in flight can then crash inside libcrypto (seen once as a SIGSEGV in a
    /// `rotor tick`). The operating system reclaims the memory anyway.
    @discardableResult
    public static func initializeWithoutExitCleanup() -> Bool {
        OPENSSL_init_crypto(UInt64(OPENSSL_INIT_NO_ATEXIT), nil) == 1
    }
}
