import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// Issue 10's required test, through the daemon (`rotor run`, the real binary) on SQLite and PostgreSQL: a check
/// that fails forever gives exactly one rollback, one alert on Slack and one e-mail (a real SMTP server), a visible
/// `retry_at` in `rotor status --json`, and no second mint inside the backoff, while the daemon keeps passing.
@Suite("Alerts through the daemon", .serialized)
struct AlertsDaemonTests {
    /// `rotor run` in the background, its log (standard error) in a file, so the test can count its passes.
    final class Daemon: @unchecked Sendable {
        // `process` is set up once before the object is shared and only read afterwards.
        let process = Process()
        let log: String

        init(_ setup: AlertsEndToEndTests.Setup, interval: String) throws {
            log = "\(setup.world.dir)/daemon.log"
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: RotorProcess.executable)
            process.arguments = ["run", "--interval", interval, "--no-serve"]
            process.environment = setup.world.rotor.environment.merging(setup.env) { $1 }
            process.currentDirectoryURL = URL(fileURLWithPath: setup.world.dir)
            process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
            process.standardError = FileHandle(forWritingAtPath: log)
            try process.run()
        }

        var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        /// Scheduler passes finished so far (the daemon logs each at debug level).
        var passes: Int { logText.matches(of: /scheduler pass \d+ finished/).count }

        /// SIGTERM, then the exit status (nil: still running after 30 s, and killed).
        func stop() async -> Int32? {
            if process.isRunning { process.terminate() }
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationStatus
        }
    }

    struct Status: Decodable {
        var state: String
        var attempt: Int
        var retry_at: String?
    }

    @Test(arguments: Backend.allCases)
    func aCheckThatFailsForeverGivesOneRollbackOneSlackAlertAndOneMailWhileTheDaemonRuns(_ backend: Backend) async throws {
        let setup = try await AlertsEndToEndTests.Setup.make(backend, playbook: "schedule: { every: 30d, warn_before: [] }")
        try await withCleanup({ await setup.close() }) {
            let old = try await setup.world.initialise(currentValue: AlertsEndToEndTests.canary("old"))
            let new = AlertsEndToEndTests.canary("new")
            try new.write(toFile: setup.world.nextValueFile, atomically: true, encoding: .utf8)
            try setup.world.setAppDown(true)
            // Due a minute ago: the daemon's first pass starts the rotation on its own.
            try await setup.world.withStore { tx, _ in
                var secret = try #require(try tx.secret(named: "app-token"))
                secret.nextRotationAt = Date().addingTimeInterval(-60)
                try tx.upsertSecret(secret)
            }

            let daemon = try Daemon(setup, interval: "1s")
            var stopped = false
            try await withCleanup({ if !stopped { _ = await daemon.stop() } }) {
                try await eventually("the daemon rolled back, alerted and passed again", timeout: .seconds(120),
                                     every: .milliseconds(200)) {
                    try daemon.passes >= 4 && setup.slack.count >= 1 && setup.mails().count >= 1
                }
                // Still passing: several more passes, each inside the backoff.
                let seen = daemon.passes
                try await eventually("three more passes", timeout: .seconds(60), every: .milliseconds(200)) {
                    daemon.passes >= seen + 3
                }

                let rotations = try await setup.world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
                #expect(rotations.map(\.state) == [.rolledBack], "exactly one rotation, rolled back")
                let minted = (try setup.world.vendorJSON()["minted"] as? [String: Any]) ?? [:]
                #expect(minted.count == 1, "no second mint inside the backoff: \(minted.keys)")
                #expect(try setup.world.fileValue() == old, "the target holds the previous key again")

                let slack = setup.slack
                try #require(slack.count == 1, "\(slack)")
                #expect(slack[0].contains("rolled back"))
                #expect(slack[0].contains("rotor rotate app-token"))
                let mails = try setup.mails()
                try #require(mails.count == 1, "\(mails.map(\.subject))")
                #expect(mails[0].subject.contains("[URGENT]") && mails[0].subject.contains("rolled back"))
                #expect(mails[0].body?.contains("every target holds the previous key") == true)
                #expect(setup.hooks.compactMap { $0["type"] as? String } == ["rotation.rolled_back"])

                // The backoff is visible while the daemon runs.
                let status = try await setup.run(["status", "app-token", "--json"])
                #expect(status.status == 0, "\(status)")
                let parsed = try JSONDecoder().decode(Status.self, from: Data(status.stdout.utf8))
                #expect(parsed.attempt == 1)
                let retryAt = try #require(parsed.retry_at.flatMap(ISO8601.parse), "\(status.stdout)")
                #expect(retryAt > Date().addingTimeInterval(30 * 60), "backing off about an hour: \(retryAt)")

                stopped = true
                #expect(await daemon.stop() == 0, "SIGTERM stops the daemon cleanly")
                #expect(!daemon.logText.contains(old) && !daemon.logText.contains(new), "a secret value reached the daemon's log")
            }
            try await setup.expectNoValue([old, new])
        }
    }
}
