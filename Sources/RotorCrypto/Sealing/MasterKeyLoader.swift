/// Finds, checks and creates the master key.
///
/// Where the key comes from, in order:
/// 1. `ROTOR_MASTER_KEY`: standard base64 of exactly 32 bytes (surrounding whitespace ignored).
///    When it is set, the key file is not read at all.
/// 2. `HOME/master.key`: exactly 32 raw bytes, accessible to its owner only.
///
/// Retired keys, `HOME/master.key.retired/*.key` (same format and permission rule), join the ring
/// in either case, so values sealed before a master key rotation still open.
public enum MasterKeyLoader {
    /// The environment variable that carries a base64 master key.
    public static let environmentVariable = "ROTOR_MASTER_KEY"

    /// Path of the master key file under `home`.
    public static func keyPath(home: String) -> String {
        KeyFile.join(home, "master.key")
    }

    /// Directory of retired master key files (`*.key`) under `home`.
    public static func retiredDirectory(home: String) -> String {
        KeyFile.join(home, "master.key.retired")
    }

    /// Loads the keyring: the current key from `ROTOR_MASTER_KEY` or `home/master.key`, plus the
    /// retired keys.
    ///
    /// - Throws: `CryptoError` saying what is wrong and how to fix it: a key file that group or
    ///   others may access ("master key PATH is readable by group or others (mode 0644); run:
    ///   chmod 600 PATH"), a missing key file (run `rotor init`), a malformed `ROTOR_MASTER_KEY`,
    ///   or a key of the wrong length. Never includes key material.
    public static func load(home: String, environment: [String: String]) throws -> MasterKeyring {
        let current: MasterKey
        if let encoded = environment[environmentVariable] {
            current = try decodeEnvironmentKey(encoded)
        } else {
            current = try MasterKey(bytes: KeyFile.readKey(path: keyPath(home: home)))
        }
        let directory = retiredDirectory(home: home)
        let retired = try KeyFile.names(in: directory, suffix: ".key").map { name in
            try MasterKey(bytes: KeyFile.readKey(path: KeyFile.join(directory, name)))
        }
        return MasterKeyring(current: current, others: retired)
    }

    /// Creates `home` (mode 0700; an existing directory is left as it is) and `home/master.key`
    /// holding 32 random bytes, with mode 0600 from the moment the file exists.
    ///
    /// - Throws: `CryptoError.masterKeyExists` if anything is already at the key path: an
    ///   existing key is never overwritten.
    public static func create(home: String) throws -> MasterKey {
        try KeyFile.makeDirectory(path: home)
        let key = MasterKey.random()
        try KeyFile.createKey(path: keyPath(home: home), bytes: key.bytes)
        KeyFile.syncDirectory(path: home)
        return key
    }

    /// What is wrong with the permissions (or file type) of the key file at `path`, in the words
    /// `load` would use, or nil if it is a regular file only its owner can access. Also nil when
    /// no file is there: whether a file is needed depends on `ROTOR_MASTER_KEY`, which `load`
    /// decides. For `rotor doctor`.
    public static func permissionProblem(path: String) -> String? {
        do {
            guard let mode = try KeyFile.mode(path: path) else { return nil }
            return KeyFile.problem(path: path, mode: mode)?.description
        } catch {
            return "\(error)"
        }
    }

    static func decodeEnvironmentKey(_ encoded: String) throws -> MasterKey {
        // Secret stores and `echo` often add a trailing newline; that is not a different key.
        var trimmed = Substring(encoded)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        guard !trimmed.isEmpty else { throw CryptoError.environmentKeyEmpty }
        guard let bytes = Base64.decode(String(trimmed)) else { throw CryptoError.environmentKeyNotBase64 }
        guard bytes.count == MasterKey.byteCount else {
            throw CryptoError.environmentKeyWrongLength(actual: bytes.count)
        }
        return try MasterKey(bytes: bytes)
    }
}
