import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One writer at a time per file. Inside Rotor, every edit of a file runs on that file's serial queue (several
/// targets of one playbook may write different keys of one file, concurrently); across processes, the edit holds
/// an advisory `flock` on a lock file next to it, `.NAME.rotor-lock`, which other tools editing the file can take
/// too. The lock file is never removed: removing it would let two writers lock two different files.
///
/// The queues run on Dispatch's threads, so the blocking work (waiting for the lock, reading, fsync) never
/// occupies Swift's cooperative pool.
enum FileLock {
    /// How long an edit waits for another process to release the lock before it fails.
    static let patience: Duration = .seconds(30)

    private static let queues = Mutex<[String: DispatchQueue]>([:])

    /// Runs `edit` with the file's canonical path (symlinks resolved: the file written is the one they point at)
    /// while holding both locks.
    static func withLock<T: Sendable>(on path: String, _ edit: @escaping @Sendable (_ canonicalPath: String) throws -> T) async throws -> T {
        let canonical = canonicalPath(path)
        let queue = queues.withLock { queues in
            if let queue = queues[canonical] { return queue }
            let queue = DispatchQueue(label: "rotor-file \(canonical)")
            queues[canonical] = queue
            return queue
        }
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result {
                    let lock = try acquire(for: canonical, shownAs: path)
                    defer { close(lock) }
                    return try edit(canonical)
                })
            }
        }
    }

    /// The lock file other processes take to edit `path` safely: `.NAME.rotor-lock` in the same folder.
    static func lockPath(for canonicalPath: String) -> String {
        let url = URL(fileURLWithPath: canonicalPath)
        return url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).rotor-lock").path
    }

    /// The path with every symlink resolved; for a file not yet there, its folder's resolved path and its name.
    static func canonicalPath(_ path: String) -> String {
        let url = URL(fileURLWithPath: path)
        if let resolved = realPath(url.path) { return resolved }
        let folder = url.deletingLastPathComponent().path
        return URL(fileURLWithPath: realPath(folder) ?? folder).appendingPathComponent(url.lastPathComponent).path
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Opens (or creates) the lock file and takes an exclusive flock, waiting at most `patience`. A new lock file gets
    /// the read and write bits of the file it guards, so whoever may read the file may also take its lock.
    private static func acquire(for canonicalPath: String, shownAs path: String) throws -> Int32 {
        let lockPath = lockPath(for: canonicalPath)
        var guarded = stat()
        let mode = stat(canonicalPath, &guarded) == 0 ? guarded.st_mode & 0o666 : 0o600
        let lock = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, mode_t(mode))
        guard lock >= 0 else { throw FileTargetError("cannot open the lock file \(lockPath): \(String(cString: strerror(errno)))") }
        let deadline = ContinuousClock.now + patience
        var pause = Duration.milliseconds(1)
        // flock(2) has no timeout: ask without blocking, and back off (as SQLite's busy handler does).
        while flock(lock, LOCK_EX | LOCK_NB) != 0 {
            let reason = errno
            guard reason == EWOULDBLOCK || reason == EINTR, ContinuousClock.now < deadline else {
                close(lock)
                if reason == EWOULDBLOCK {
                    throw FileTargetError("\(path): another process has held its lock (\(lockPath)) for over "
                                          + "\(patience.components.seconds)s; find it with `fuser \(lockPath)`")
                }
                throw FileTargetError("cannot lock \(lockPath): \(String(cString: strerror(reason)))")
            }
            Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18)
            pause = min(pause * 2, .milliseconds(100))
        }
        return lock
    }
}
