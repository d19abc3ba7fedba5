import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// The scheduler through the `rotor` binary, on SQLite and PostgreSQL, with `tick --now` for time travel: bounded
/// retries after failures, one next-rotation date in every command, skips that hold.
@Suite("Scheduler end to end", .serialized)
struct SchedulerEndToEndTests {
    static let schedule = "{ every: 30d, warn_before: [] }"

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }

    func json(_ result: RotorProcess.Result) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }

    /// Values the vendor minted (each rotation attempt mints one; a retried step reuses its idempotency key).
    func mints(_ world: World) throws -> Int {
        (try world.vendorJSON()["minted"] as? [String: Any])?.count ?? 0
    }

    /// A pass at `date`; it exits 1 when a rotation of the pass failed or rolled back, else 0.
    func tick(_ world: World, at date: Date, expecting status: Int32 = 0) async throws -> RotorProcess.Result {
        let result = try await world.run(["tick", "--now", ISO8601.string(date)])
        #expect(result.status == status, "\(result)")
        return result
    }

    @Test(arguments: Backend.allCases)
    func aCheckThatFailsForeverBacksOffWithOneMintPerStep(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: Self.schedule)
            _ = try await world.initialise()
            try world.setAppDown(true)
            let due = Date().addingTimeInterval(30 * 86_400 + 60)
            // (offset from the first failure, mints the vendor has seen by then)
            let steps: [(after: TimeInterval, mints: Int)] = [
                (0, 1), (30 * 60, 1),                  // failed; waits 1 h
                (3_600 + 120, 2), (3 * 3_600, 2),      // failed again; waits 4 h
                (5 * 3_600 + 240, 3), (17 * 3_600 + 360, 3), // third: 12 h, but the daily cap of 3 holds it to 24 h
                (24 * 3_600 + 480, 4),
            ]
            var minted = try mints(world)
            for step in steps {
                // A pass that made an attempt saw it roll back: tick exits 1; a pass that waits exits 0.
                let result = try await tick(world, at: due.addingTimeInterval(step.after), expecting: step.mints > minted ? 1 : 0)
                minted = step.mints
                #expect(try mints(world) == step.mints, "at +\(Int(step.after))s: \(result.stdout)")
                let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
                #expect(rotations.count == step.mints && rotations.allSatisfy { $0.state == .rolledBack },
                        "one rollback per attempt: \(rotations.map(\.state))")
            }
            let status = try #require(try json(try await world.run(["status", "app-token", "--json"])) as? [String: Any])
            #expect(status["attempt"] as? Int == 4)
            let retryAt = try #require(status["retry_at"] as? String, "\(status)")
            #expect(status["next_rotation_at"] as? String == retryAt)
            // A person's `rotor rotate` does not wait for the backoff.
            try world.setAppDown(false)
            let rotated = try await world.run(["rotate", "app-token", "--reason", "fixed"])
            #expect(rotated.status == 0, "\(rotated)")
            #expect(try mints(world) == 5)
        }
    }

    /// The first rotation date of `rotor schedule --json`, `status` and `compliance` for app-token.
    func threeDates(_ world: World) async throws -> (status: String?, schedule: String?, compliance: String?) {
        let status = try json(try await world.run(["status", "app-token", "--json"])) as? [String: Any]
        let schedule = (try json(try await world.run(["schedule", "--json", "--days", "400"])) as? [String: Any])?["entries"] as? [[String: Any]]
        let compliance = try json(try await world.run(["compliance", "--json"])) as? [String: Any]
        let item = (compliance?["items"] as? [[String: Any]])?.first { $0["subject"] as? String == "app-token" }
        return (status?["next_rotation_at"] as? String,
                schedule?.first { ($0["event"] as? String)?.hasPrefix("rotation") == true }?["at"] as? String,
                item?["next_rotation"] as? String)
    }

    @Test(arguments: Backend.allCases)
    func statusScheduleAndComplianceShowTheSameNextRotation(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: Self.schedule)
            _ = try await world.initialise()
            var dates = try await threeDates(world)
            #expect(dates.status != nil && dates.status == dates.schedule && dates.status == dates.compliance, "\(dates)")
            // After a rotation, before any pass has looked at the new cycle.
            let rotated = try await world.run(["rotate", "app-token", "--reason", "now"])
            #expect(rotated.status == 0, "\(rotated)")
            dates = try await threeDates(world)
            #expect(dates.status != nil && dates.status == dates.schedule && dates.status == dates.compliance, "\(dates)")
            let skipped = try await world.run(["skip", "app-token", "--for", "10d", "--reason", "freeze"])
            #expect(skipped.status == 0, "\(skipped)")
            dates = try await threeDates(world)
            #expect(dates.status != nil && dates.status == dates.schedule && dates.status == dates.compliance, "\(dates)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aSkipRightAfterARotationHoldsAcrossTicks(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: Self.schedule)
            _ = try await world.initialise()
            let rotated = try await world.run(["rotate", "app-token", "--reason", "now", "--grace", "0s"])
            #expect(rotated.status == 0, "\(rotated)")
            // Skipped before any pass saw the new cycle (and before its warning): the new cycle's date plus 10 days.
            let skipped = try #require(try json(try await world.run(["skip", "app-token", "--for", "10d", "--reason", "freeze", "--json"]))
                as? [String: Any])
            let text = try #require(skipped["new_date"] as? String, "\(skipped)")
            let date = try #require(Self.parse(text))
            let promoted = try await world.withStore { tx, _ in try tx.version(secretName: "app-token", label: .current)?.activatedAt }
            #expect(date == (try #require(promoted)).addingTimeInterval(40 * 86_400))
            for days in [1.0, 10, 29, 31, 39] {
                _ = try await tick(world, at: Date().addingTimeInterval(days * 86_400))
                let next = try await world.withStore { tx, _ in try tx.secret(named: "app-token")?.nextRotationAt }
                #expect(next == date, "after a tick \(days) days on")
                let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
                #expect(rotations.count == 1, "no rotation before the skipped date")
            }
        }
    }
}

@Suite("Validate: schedule advice")
struct ValidateAdviceTests {
    @Test func aScheduleRarerThanMaxAgeIsAWarningNotAnError() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: "{ every: 120d, warn_before: [] }")
            let result = try await world.run(["validate"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("app-token.yml: warning: schedule every 120d is rarer than max_age 90d"), "\(result)")
            #expect(result.stdout.contains("[ok] 1 playbook valid"))
        }
    }
}

@Suite("Concurrent ticks", .serialized)
struct ConcurrentTickTests {
    @Test func twoTicksAtGraceEndBothSucceedAndTheRotationCompletesOnce() async throws {
        let world = try await World.make(.postgres)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let rotated = try await world.run(["rotate", "app-token", "--reason", "quarterly"])
            #expect(rotated.status == 0, "\(rotated)")
            let late = ISO8601.string(Date().addingTimeInterval(2 * 3600))
            async let first = world.run(["tick", "--now", late])
            async let second = world.run(["tick", "--now", late])
            let results = try await [first, second]
            for result in results {
                #expect(result.status == 0, "\(result)")
                #expect(!result.stderr.contains("error"), "\(result.stderr)")
            }
            let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
            #expect(rotations.map(\.state) == [.completed])
            #expect(try !world.isLive(old))
            let audit = try await world.withStore { tx, _ in
                try tx.auditEvents(since: nil, until: nil, subject: "app-token", limit: nil).map(\.action)
            }
            #expect(audit.filter { $0 == "rotation.completed" }.count == 1, "\(audit)")
        }
    }

    @Test func twoTicksAtADueTimeStartOneRotationAndBothSucceed() async throws {
        let world = try await World.make(.postgres)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: "{ every: 30d, warn_before: [] }")
            _ = try await world.initialise()
            let due = ISO8601.string(Date().addingTimeInterval(30 * 86_400 + 60))
            async let first = world.run(["tick", "--now", due])
            async let second = world.run(["tick", "--now", due])
            for result in try await [first, second] {
                #expect(result.status == 0, "\(result)")
                #expect(!result.stderr.contains(" error "), "\(result.stderr)")
            }
            let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
            #expect(rotations.map(\.state) == [.grace])
        }
    }
}
