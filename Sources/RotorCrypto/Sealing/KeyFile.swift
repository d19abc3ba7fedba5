#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// POSIX file handling for master key files: reading with a permission check on the opened file,
/// creating with the final mode from the first instant, and listing retired keys.
enum KeyFile {
    private static let fileTypeMask: mode_t = 0o170000
    private static let regularFile: mode_t = 0o100000
    private static let directory: mode_t = 0o040000

    /// Why a file with this `st_mode` must not be used as a key file (not a regular file, or
    /// group or others have some permission), or nil if it may.
    static func problem(path: String, mode: mode_t) -> CryptoError? {
        if mode & fileTypeMask != regularFile { return CryptoError.masterKeyNotRegularFile(path: path) }
        if mode & 0o077 != 0 { return CryptoError.masterKeyPermissions(path: path, mode: UInt32(mode)) }
        return nil
    }

    /// Reads a 32-byte key file, refusing one that group or others may access.
    ///
    /// The mode is taken from the open descriptor (fstat), not the path, so the file checked is
    /// the file read even if the path is swapped in between.
    static func readKey(path: String) throws -> [UInt8] {
        // O_NONBLOCK keeps a FIFO planted at the path from hanging the open; it changes nothing
        // for a regular file.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw CryptoError.masterKeyMissing(path: path) }
            throw failure("open", path, code)
        }
        defer { close(descriptor) }

        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure("fstat", path, errno) }
        if let problem = problem(path: path, mode: status.st_mode) { throw problem }
        guard status.st_size == off_t(MasterKey.byteCount) else {
            throw CryptoError.masterKeyWrongLength(path: path, actual: Int(status.st_size))
        }

        // One byte of room beyond the key notices a file that grew after fstat.
        var bytes = [UInt8](repeating: 0, count: MasterKey.byteCount + 1)
        var total = 0
        while total < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + total, $0.count - total) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", path, errno)
            }
            if count == 0 { break }
            total += count
        }
        guard total == MasterKey.byteCount else {
            throw CryptoError.masterKeyWrongLength(path: path, actual: total)
        }
        return Array(bytes[..<total])
    }

    /// Creates `path` holding `bytes`, with mode 0600 from the moment it exists. Fails if
    /// anything, even a dangling symlink, is already at `path`.
    static func createKey(path: String, bytes: [UInt8]) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST { throw CryptoError.masterKeyExists(path: path) }
            throw failure("create", path, code)
        }
        var closed = false
        var complete = false
        defer {
            if !closed { close(descriptor) }
            // A half-written key file would block the next `create` and fail every `load`.
            if !complete { unlink(path) }
        }
        // The umask may have cleared owner bits of 0600 (never added any); this sets exactly
        // 0600 before the key is written.
        guard fchmod(descriptor, 0o600) == 0 else { throw failure("fchmod", path, errno) }

        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("write", path, errno)
            }
            written += count
        }
        // Losing the master key loses every sealed value: make it durable before reporting success.
        guard fsync(descriptor) == 0 else { throw failure("fsync", path, errno) }
        closed = true
        guard close(descriptor) == 0 else { throw failure("close", path, errno) }
        complete = true
    }

    /// Creates directory `path` with mode 0700, or accepts an existing directory as it is.
    /// Returns whether it was created.
    @discardableResult
    static func makeDirectory(path: String) throws -> Bool {
        if mkdir(path, 0o700) == 0 {
            // mkdir's mode is filtered by the umask; state it exactly.
            guard chmod(path, 0o700) == 0 else { throw failure("chmod", path, errno) }
            return true
        }
        let code = errno
        guard code == EEXIST else { throw failure("mkdir", path, code) }
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure("stat", path, errno) }
        guard status.st_mode & fileTypeMask == directory else {
            throw CryptoError.homeNotDirectory(path: path)
        }
        return false
    }

    /// Flushes a directory's entries, so a newly created file survives a crash. Best effort:
    /// some file systems refuse fsync on directories.
    static func syncDirectory(path: String) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        _ = fsync(descriptor)
        close(descriptor)
    }

    /// Mode of `path`, or nil if nothing is there. Follows symlinks, as reading the key does.
    static func mode(path: String) throws -> mode_t? {
        var status = stat()
        guard stat(path, &status) == 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw failure("stat", path, code)
        }
        return status.st_mode
    }

    /// Names in directory `path` ending in `suffix` (hidden files excluded), sorted; empty if the
    /// directory does not exist.
    static func names(in path: String, suffix: String) throws -> [String] {
        guard let stream = opendir(path) else {
            let code = errno
            if code == ENOENT { return [] }
            throw failure("opendir", path, code)
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix("."), name.hasSuffix(suffix) {
                names.append(name)
            }
        }
        return names.sorted()
    }

    /// `directory` + "/" + `name`, without doubling a trailing slash.
    static func join(_ directory: String, _ name: String) -> String {
        if directory.isEmpty { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    private static func failure(_ operation: String, _ path: String, _ code: Int32) -> CryptoError {
        CryptoError.fileSystem(operation: operation, path: path, errno: code, reason: String(cString: strerror(code)))
    }
}
