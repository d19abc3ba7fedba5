import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// `rotor run` as a process: killed with SIGKILL in the middle of a rotation, the next daemon finishes it;
/// a second daemon on the same SQLite store refuses to start; SIGTERM stops a daemon cleanly.
@Suite("Daemon", .serialized)
struct DaemonTests {
    /// A process left running in the background.
    final class Background: @unchecked Sendable {
        // `process` is set once before the object is shared and only read afterwards.
        let process = Process()
        init(_ world: World, _ arguments: [String], env: [String: String] = [:]) throws {
            process.executableURL = URL(fileURLWithPath: RotorProcess.executable)
            process.arguments = arguments
            process.environment = world.rotor.environment.merging(env) { $1 }
            process.currentDirectoryURL = URL(fileURLWithPath: world.dir)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: "/dev/null")
            try process.run()
        }

        /// Waits for the process to end, at most `seconds`; nil if it is still running.
        func exit(within seconds: Double) async -> Int32? {
            let deadline = Date().addingTimeInterval(seconds)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            return process.isRunning ? nil : process.terminationStatus
        }
    }

    func makeDue(_ world: World) async throws {
        try await world.withStore { tx, _ in
            var secret = try #require(try tx.secret(named: "app-token"))
            secret.nextRotationAt = Date().addingTimeInterval(-60)
            try tx.upsertSecret(secret)
        }
    }

    @Test func aDaemonKilledMidRotationIsFinishedByTheNextAndSQLiteServesOneDaemon() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: "{ every: 30d, warn_before: 7d }")
            let old = try await world.initialise()
            try await makeDue(world)

            // The first daemon dies (as after SIGKILL) right after it wrote the new value to the file.
            let doomed = try Background(world, ["run", "--interval", "1s", "--no-serve"], env: ["ROTOR_FAULT": "crash-after:propagate:0"])
            #expect(await doomed.exit(within: 30) == 137)
            let interrupted = try await world.withStore { tx, _ in try tx.activeRotation(secretName: "app-token")?.state }
            #expect(interrupted == .propagating)

            // The next daemon takes over the store at once (its holder is gone) and finishes the rotation.
            let next = try Background(world, ["run", "--interval", "1s", "--no-serve"])
            var state: RotationState?
            for _ in 0..<200 {
                state = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state }
                if state == .grace { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(state == .grace)
            try await CrashSafetyTests.checkInvariants(world, old: old, settled: true)

            // A second daemon on the same SQLite store refuses to start and says which one holds it.
            let refused = try await world.run(["run", "--interval", "1s", "--no-serve"])
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("another rotor daemon"), "\(refused)")

            // SIGTERM: the daemon finishes its pass and exits cleanly.
            next.process.terminate()
            #expect(await next.exit(within: 30) == 0)
        }
    }
}
