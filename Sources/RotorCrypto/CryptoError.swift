/// An error from RotorCrypto: a failed primitive, a box that does not open, or a master key that
/// cannot be loaded or created.
///
/// A struct wrapping a private enum, so new cases do not break callers. `description` says what
/// happened, where, and what to do next. It never carries key bytes, plaintext or the value of
/// `ROTOR_MASTER_KEY`: only lengths, paths, file modes and key ids, which are not secret.
public struct CryptoError: Error, CustomStringConvertible, Equatable {
    private enum Kind: Equatable {
        case authenticationFailed
        case invalidKeyLength(expected: Int, actual: Int)
        case invalidNonceLength(expected: Int, actual: Int)
        case emptyIV
        case invalidTagLength(expected: Int, actual: Int)
        case boxTooShort(minimum: Int, actual: Int)
        case openSSL(function: String)
        case unknownKeyID(id: String, keyring: [String])
        case masterKeyMissing(path: String)
        case masterKeyPermissions(path: String, mode: UInt32)
        case masterKeyNotRegularFile(path: String)
        case masterKeyWrongLength(path: String, actual: Int)
        case masterKeyExists(path: String)
        case environmentKeyEmpty
        case environmentKeyNotBase64
        case environmentKeyWrongLength(actual: Int)
        case homeNotDirectory(path: String)
        case fileSystem(operation: String, path: String, errno: Int32, reason: String)
    }

    private let kind: Kind
    /// libcrypto's own reason for an `.openSSL` failure; shown, but not part of equality, because
    /// its wording changes between OpenSSL releases.
    private let detail: String?

    private init(_ kind: Kind, detail: String? = nil) {
        self.kind = kind
        self.detail = detail
    }

    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.kind == rhs.kind
    }

    /// A box or ciphertext did not authenticate: tampered with, or sealed under another key,
    /// nonce or associated data.
    public static var authenticationFailed: CryptoError { CryptoError(.authenticationFailed) }

    /// A key of the wrong size was given to AES-256-GCM or `MasterKey`.
    public static func invalidKeyLength(expected: Int, actual: Int) -> CryptoError {
        CryptoError(.invalidKeyLength(expected: expected, actual: actual))
    }

    /// A nonce of the wrong size was given to `AESGCM.seal`.
    public static func invalidNonceLength(expected: Int, actual: Int) -> CryptoError {
        CryptoError(.invalidNonceLength(expected: expected, actual: actual))
    }

    /// An empty IV was given to `AESGCM.encrypt` or `AESGCM.decrypt`.
    public static var emptyIV: CryptoError { CryptoError(.emptyIV) }

    /// A tag of the wrong size was given to `AESGCM.decrypt`.
    public static func invalidTagLength(expected: Int, actual: Int) -> CryptoError {
        CryptoError(.invalidTagLength(expected: expected, actual: actual))
    }

    /// A box shorter than nonce plus tag was given to `AESGCM.open`.
    public static func boxTooShort(minimum: Int, actual: Int) -> CryptoError {
        CryptoError(.boxTooShort(minimum: minimum, actual: actual))
    }

    /// A libcrypto call failed. Captures (and clears) this thread's libcrypto error queue.
    public static func openSSL(_ function: String) -> CryptoError {
        CryptoError(.openSSL(function: function), detail: OpenSSL.drainErrors())
    }

    /// A sealed value names a master key that is not in the keyring.
    public static func unknownKeyID(_ id: String, keyring: [String]) -> CryptoError {
        CryptoError(.unknownKeyID(id: id, keyring: keyring))
    }

    /// No master key file at `path` (and no `ROTOR_MASTER_KEY`).
    public static func masterKeyMissing(path: String) -> CryptoError {
        CryptoError(.masterKeyMissing(path: path))
    }

    /// A master key file grants some permission to group or others.
    public static func masterKeyPermissions(path: String, mode: UInt32) -> CryptoError {
        CryptoError(.masterKeyPermissions(path: path, mode: mode & 0o777))
    }

    /// A master key path that is a directory, device, FIFO or socket.
    public static func masterKeyNotRegularFile(path: String) -> CryptoError {
        CryptoError(.masterKeyNotRegularFile(path: path))
    }

    /// A master key file whose size is not 32 bytes.
    public static func masterKeyWrongLength(path: String, actual: Int) -> CryptoError {
        CryptoError(.masterKeyWrongLength(path: path, actual: actual))
    }

    /// `MasterKeyLoader.create` found a key file already in place.
    public static func masterKeyExists(path: String) -> CryptoError {
        CryptoError(.masterKeyExists(path: path))
    }

    /// `ROTOR_MASTER_KEY` is set to an empty (or all-whitespace) string.
    public static var environmentKeyEmpty: CryptoError { CryptoError(.environmentKeyEmpty) }

    /// `ROTOR_MASTER_KEY` is not standard, padded base64.
    public static var environmentKeyNotBase64: CryptoError { CryptoError(.environmentKeyNotBase64) }

    /// `ROTOR_MASTER_KEY` decodes to a number of bytes other than 32.
    public static func environmentKeyWrongLength(actual: Int) -> CryptoError {
        CryptoError(.environmentKeyWrongLength(actual: actual))
    }

    /// The Rotor home path exists but is not a directory.
    public static func homeNotDirectory(path: String) -> CryptoError {
        CryptoError(.homeNotDirectory(path: path))
    }

    /// A system call on `path` failed with `errno`.
    public static func fileSystem(operation: String, path: String, errno: Int32, reason: String) -> CryptoError {
        CryptoError(.fileSystem(operation: operation, path: path, errno: errno, reason: reason))
    }

    public var description: String {
        let variable = MasterKeyLoader.environmentVariable
        switch kind {
        case .authenticationFailed:
            return "AES-256-GCM authentication failed: the sealed value was altered, or it was sealed under "
                + "another master key or for another secret/version; check that the right master key is loaded"
        case .invalidKeyLength(let expected, let actual):
            return "key is \(actual) bytes; AES-256 needs exactly \(expected)"
        case .invalidNonceLength(let expected, let actual):
            return "nonce is \(actual) bytes; AES-256-GCM boxes use exactly \(expected)"
        case .emptyIV:
            return "AES-256-GCM needs a non-empty IV"
        case .invalidTagLength(let expected, let actual):
            return "authentication tag is \(actual) bytes; Rotor only accepts full \(expected)-byte tags"
        case .boxTooShort(let minimum, let actual):
            return "sealed box is \(actual) bytes, shorter than the \(minimum) bytes of nonce and tag alone: "
                + "the stored value is truncated or corrupt"
        case .openSSL(let function):
            let reason = detail.map { " (\($0))" } ?? ""
            return "OpenSSL call \(function) failed\(reason); check that libcrypto 3 and its default provider are installed"
        case .unknownKeyID(let id, let keyring):
            return "sealed value was sealed under master key \(id), which is not loaded (keyring holds: "
                + "\(keyring.joined(separator: ", "))); put that key in master.key.retired/ under the Rotor home, "
                + "then run `rotor rekey`"
        case .masterKeyMissing(let path):
            return "no master key at \(path); run `rotor init` to create one, or set \(variable)"
        case .masterKeyPermissions(let path, let mode):
            return "master key \(path) is readable by group or others (mode \(Self.octal(mode))); run: chmod 600 \(path)"
        case .masterKeyNotRegularFile(let path):
            return "master key \(path) is not a regular file; replace it with the 32-byte key file, or run `rotor init`"
        case .masterKeyWrongLength(let path, let actual):
            return "master key \(path) holds \(actual) bytes; a master key file holds exactly 32 raw bytes "
                + "(not base64): restore it from backup, or put a base64 key in \(variable) instead"
        case .masterKeyExists(let path):
            return "master key \(path) already exists and will not be overwritten; to replace it, move it into "
                + "master.key.retired/ first so values sealed under it still open"
        case .environmentKeyEmpty:
            return "\(variable) is set but empty; set it to the base64 of 32 random bytes "
                + "(`openssl rand -base64 32`), or unset it to use the master key file"
        case .environmentKeyNotBase64:
            return "\(variable) is not valid base64 (standard alphabet, with = padding); set it to the base64 "
                + "of 32 random bytes (`openssl rand -base64 32`)"
        case .environmentKeyWrongLength(let actual):
            return "\(variable) decodes to \(actual) bytes; a master key is exactly 32 bytes "
                + "(`openssl rand -base64 32` makes one)"
        case .homeNotDirectory(let path):
            return "Rotor home \(path) exists but is not a directory; pick another home or move the file away"
        case .fileSystem(let operation, let path, let errno, let reason):
            return "\(operation) \(path) failed: \(reason) (errno \(errno)); check the path and its permissions"
        }
    }

    /// Formats a permission mode the way `ls` and `chmod` users read it: "0644".
    private static func octal(_ mode: UInt32) -> String {
        let digits = String(mode & 0o777, radix: 8)
        return "0" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
    }
}
