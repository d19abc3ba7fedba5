#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Key file changes for `rotor rekey`. The order of the steps is what makes a rekey survive `kill -9`:
/// the old key is copied to `master.key.retired/` before `master.key` is replaced, so at every instant the
/// files on disk hold every key a stored value may be sealed under.
extension MasterKeyLoader {
    /// Copies `key` to `home/master.key.retired/ID.key` (mode 0600; the directory 0700). A copy already
    /// there (an earlier, interrupted rekey) is accepted if it holds the same key.
    public static func retire(_ key: MasterKey, home: String) throws {
        let directory = retiredDirectory(home: home)
        try KeyFile.makeDirectory(path: directory)
        let path = KeyFile.join(directory, key.id + ".key")
        do {
            try KeyFile.createKey(path: path, bytes: key.bytes)
        } catch let error as CryptoError where error == CryptoError.masterKeyExists(path: path) {
            guard try MasterKey(bytes: KeyFile.readKey(path: path)) == key else { throw error }
        }
        KeyFile.syncDirectory(path: directory)
    }

    /// Makes `key` the current key: written to `master.key.new` (O_EXCL, mode 0600, fsynced), then renamed
    /// over `master.key`, so a crash leaves either the old key or the new one there, never half of one.
    public static func replaceCurrent(with key: MasterKey, home: String) throws {
        let path = keyPath(home: home)
        let temporary = path + ".new"
        // Left over only by a crash before the rename; its key was never current, so nothing is sealed under it.
        unlink(temporary)
        try KeyFile.createKey(path: temporary, bytes: key.bytes)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw CryptoError.fileSystem(operation: "rename", path: path, errno: code, reason: String(cString: strerror(code)))
        }
        KeyFile.syncDirectory(path: home)
    }

    /// Deletes the retired key file of `id`, once nothing in the store is sealed under it. Returns whether
    /// there was one.
    @discardableResult
    public static func removeRetired(id: String, home: String) -> Bool {
        let directory = retiredDirectory(home: home)
        let removed = unlink(KeyFile.join(directory, id + ".key")) == 0
        if removed { KeyFile.syncDirectory(path: directory) }
        return removed
    }

    /// Ids of the retired key files under `home` (not the keys: for messages).
    public static func retiredIDs(home: String) throws -> [String] {
        let directory = retiredDirectory(home: home)
        return try KeyFile.names(in: directory, suffix: ".key").map { name in
            try MasterKey(bytes: KeyFile.readKey(path: KeyFile.join(directory, name))).id
        }
    }

    /// A key given as base64 text (a file's content, standard input): the rules of `ROTOR_MASTER_KEY`.
    public static func decode(base64 text: String) throws -> MasterKey {
        try decodeEnvironmentKey(text)
    }

    /// The key as base64, the form `ROTOR_MASTER_KEY` takes. Only for showing a new key to the operator on
    /// their terminal (`rotor rekey`); never log it.
    public static func base64(of key: MasterKey) -> String {
        Base64.encode(key.bytes)
    }
}
