import Foundation
import ProviderFile
import RotorCore
import RotorTestSupport
import Testing

@Suite("file: one writer at a time")
struct FileTargetLockingTests {
    /// Several targets of one playbook may name the same file with different keys, and the runner writes
    /// targets concurrently: every read-modify-write must see the one before it.
    @Test(arguments: FileTarget.Format.allCases)
    func twentyConcurrentWritesOfDifferentKeysAllLand(_ format: FileTarget.Format) async throws {
        let dir = try TemporaryFolder()
        try await withCleanup({ dir.remove() }) {
            let path = "\(dir.path)/app.\(format.rawValue)"
            let keys = (0..<20).map { "KEY_\($0)" }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for key in keys {
                    group.addTask {
                        try await FileTarget(path: path, format: format, key: key).apply(SecretValue("value-of-\(key)"), stepContext())
                    }
                }
                try await group.waitForAll()
            }
            for key in keys {
                #expect(try FileTarget(path: path, format: format, key: key).currentValue() == "value-of-\(key)", "\(key)")
            }
        }
    }

    /// Another process that edits the file under the same advisory lock (the sidecar lock file) is waited for:
    /// neither write is lost.
    @Test func aWriteWaitsForAnotherProcessHoldingTheLock() async throws {
        let dir = try TemporaryFolder()
        try await withCleanup({ dir.remove() }) {
            let path = "\(dir.path)/app.env"
            try "OTHER=old\n".write(toFile: path, atomically: true, encoding: .utf8)
            // The lock file is part of the interface: other tools lock the same one.
            let helper = try LockingEditor.start(file: path, lockFile: "\(dir.path)/.app.env.rotor-lock", line: "OTHER=from-the-other-process")
            try helper.waitUntilLocked()
            try await FileTarget(path: path, format: .dotenv, key: "APP_TOKEN").apply(SecretValue("from-rotor"), stepContext())
            try helper.waitUntilDone()
            #expect(try FileTarget(path: path, key: "APP_TOKEN").currentValue() == "from-rotor")
            #expect(try FileTarget(path: path, key: "OTHER").currentValue() == "from-the-other-process")
        }
    }
}
