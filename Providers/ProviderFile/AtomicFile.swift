import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Atomic replacement of a file's contents: a temporary file in the same folder, fsync, rename, fsync of the folder.
/// The new file keeps the old one's mode and owner (an app's group may read it); a new file is 0600.
/// Blocking: call it from a thread that may block (see `FileLock`), never from Swift's cooperative pool.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).rotor-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileTargetError("cannot create a temporary file in \(folder): \(String(cString: strerror(errno)))") }
        let tempPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        do {
            try takeOverModeAndOwner(of: path, into: fd)
        } catch {
            close(fd)
            throw error
        }
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else { throw FileTargetError("cannot write \(path): \(String(cString: strerror(errno)))") }
        guard rename(tempPath, path) == 0 else { throw FileTargetError("cannot replace \(path): \(String(cString: strerror(errno)))") }
        ok = true
        let dir = open(folder, O_RDONLY | O_CLOEXEC)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }

    /// Gives the temporary file the mode and owner of the file it replaces (0600 and Rotor's own for a new file).
    /// Owner first: changing the owner clears set-id bits that the mode then restores.
    private static func takeOverModeAndOwner(of path: String, into fd: Int32) throws {
        var old = stat()
        guard stat(path, &old) == 0 else {
            fchmod(fd, 0o600)
            return
        }
        if old.st_uid != geteuid() || old.st_gid != getegid(), fchown(fd, old.st_uid, old.st_gid) != 0 {
            throw FileTargetError("cannot keep the owner (uid \(old.st_uid), gid \(old.st_gid)) of \(path): "
                                  + "\(String(cString: strerror(errno))); run rotor as that user or as root, "
                                  + "or give the file to rotor's user")
        }
        fchmod(fd, old.st_mode & 0o7777)
    }
}
