import Foundation

/// Another program editing a dotenv file the careful way: it takes the advisory lock on the lock file, reads
/// the file, takes its time (a second), writes its line and lets go. Runs as a python3 process of its own.
struct LockingEditor {
    private static let script = #"""
        import fcntl, os, sys, time
        path, lock_path, line = sys.argv[1:4]
        lock = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)
        print("locked", flush=True)
        lines = [l for l in open(path).read().splitlines() if not l.startswith(line.split("=")[0] + "=")]
        time.sleep(1)
        with open(path + ".editor-tmp", "w") as out:
            out.write("\n".join(lines + [line]) + "\n")
        os.rename(path + ".editor-tmp", path)
        fcntl.flock(lock, fcntl.LOCK_UN)
        """#

    private let process: Process
    private let output: Pipe
    private let errors: Pipe

    /// Starts the editor; it sets `line` (NAME=value) in `file` under an exclusive flock on `lockFile`.
    static func start(file: String, lockFile: String, line: String) throws -> LockingEditor {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file, lockFile, line]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        return LockingEditor(process: process, output: output, errors: errors)
    }

    /// Returns once the editor holds the lock.
    func waitUntilLocked() throws {
        var seen = Data()
        while !seen.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw EditorFailed(stderr: stderrText()) }
            seen += chunk
        }
        guard String(decoding: seen, as: UTF8.self).hasPrefix("locked") else { throw EditorFailed(stderr: stderrText()) }
    }

    /// Waits for the editor to finish; throws if it failed.
    func waitUntilDone() throws {
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw EditorFailed(stderr: stderrText()) }
    }

    private func stderrText() -> String {
        String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    struct EditorFailed: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "the locking editor failed: \(stderr)" }
    }
}
