import Foundation
import RotorCore
import RotorCrypto
import RotorApp
import RotorTestSupport
import Synchronization
import Testing

/// A year of the four seed secrets (every 30, 60, 90 and 180 days), ticked hourly, in Europe/Berlin with a
/// 02:00–04:00 window, across both DST changes: exactly the expected rotations and warnings, at the
/// expected times. Real parts: a SQLite store, the random source and the file target.
@Suite("Scheduler: a simulated year", .serialized)
struct SchedulerYearTests {
    static let secrets: [(name: String, days: Int)] = [("every-30", 30), ("every-60", 60), ("every-90", 90), ("every-180", 180)]

    func playbook(_ name: String, days: Int, dir: String) -> String {
        """
        secret: \(name)
        schedule: { every: \(days)d, warn_before: [7d, 1d], window: "02:00-04:00", timezone: Europe/Berlin }
        policy: { max_age: \(max(days, 90))d, max_skips: 2, skip_for: 30d }
        grace: 24h
        source: { provider: random }
        targets: [ { provider: file, path: \(dir)/\(name).env, key: VALUE } ]
        checks: []
        notify: [ ops ]
        """
    }

    @Test func aYearOfTheFourSeedSecretsRotatesAndWarnsExactlyOnSchedule() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-year-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // rotor.yml (outside the playbook folder) defines the channel the playbooks alert.
        let config = dir + "-rotor.yml"
        try "channels:\n  ops: { type: outbox }\n".write(toFile: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: config) }
        for secret in Self.secrets {
            try playbook(secret.name, days: secret.days, dir: dir).write(toFile: "\(dir)/\(secret.name).yml", atomically: true, encoding: .utf8)
        }
        // 2026-01-05 02:00 in Berlin (01:00 UTC): inside the window.
        let start = Date(timeIntervalSince1970: 1_767_574_800)
        let clock = TestClock(start)
        let app = try await RotorApp.test(home: dir, clock: clock, label: "year",
                                          environment: ["ROTOR_PUBLIC_URL": "https://rotor.example.com"], configPath: config)
        let store = app.store
        try await withCleanup({ await app.close() }) {
            let set = app.loadPlaybooks()
            try #require(set.diagnostics.isEmpty, "\(set.diagnostics)")
            for playbook in set.playbooks {
                _ = try await app.secrets.importCurrent(playbook, value: SecretValue("initial-\(playbook.secret)-0123456789"),
                                                        handle: nil, actor: "test", replace: false)
            }
            let runner = app.runner()
            let maintenance = app.maintenance(playbooks: set.playbooks, runner: runner)
            let scheduler = try await app.scheduler(playbooks: set.playbooks, runner: runner)

            for hour in 1...(365 * 24) {
                clock.set(start.addingTimeInterval(Double(hour) * 3600))
                _ = await maintenance.tick()
                let items = await scheduler.tick()
                #expect(!items.contains { $0.action == "error" }, "\(items)")
            }

            let berlin = TimeZone(identifier: "Europe/Berlin")!
            for secret in Self.secrets {
                let (rotations, warnings) = try await store.transaction { tx in
                    (try tx.rotations(secretName: secret.name), try tx.notifications(org: nil, secretName: secret.name, limit: 1000))
                }
                // Every `days` days exactly (each cycle starts when the new key became current), never more.
                let expected = (1...(365 / secret.days)).map { start.addingTimeInterval(Double($0 * secret.days) * 86400) }
                #expect(rotations.map(\.createdAt).sorted() == expected, "\(secret.name)")
                #expect(rotations.allSatisfy { $0.trigger == .schedule })
                #expect(rotations.allSatisfy { $0.state == .completed || ($0.state == .grace && $0.createdAt > start.addingTimeInterval(364 * 86400)) })
                for rotation in rotations {
                    // Always inside the 02:00–04:00 Berlin window, whether it is summer or winter time.
                    let hour = Calendar(identifier: .gregorian).dateComponents(in: berlin, from: rotation.createdAt).hour!
                    #expect((2..<4).contains(hour), "\(secret.name) rotated at \(ISO8601.string(rotation.createdAt)) (\(hour):00 Berlin)")
                }
                // Two warnings (7 days and 1 day ahead) per rotation, each once, to the secret's channel.
                let warningTimes = warnings.filter { $0.kind == "warning" }.map(\.createdAt).sorted()
                let expectedWarnings = expected.flatMap { [$0.addingTimeInterval(-7 * 86400), $0.addingTimeInterval(-86400)] }.sorted()
                #expect(warningTimes == expectedWarnings, "\(secret.name)")
                #expect(warnings.filter { $0.kind == "warning" }.allSatisfy { $0.channel == "ops" && $0.body.contains("https://rotor.example.com/r/") })
            }
        }
    }
}

@Suite("Skips", .serialized)
struct SkipTests {
    func world() async throws -> (store: any Store, playbook: Playbook, clock: TestClock, dir: String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-skip-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let text = """
            secret: app
            schedule: { every: 30d, warn_before: 7d }
            policy: { max_age: 90d, max_skips: 2, skip_for: 30d }
            source: { provider: random }
            targets: [ { provider: file, path: \(dir)/app.env, key: VALUE } ]
            checks: []
            notify: [ ops ]
            """
        let (parsed, problems) = PlaybookParser(catalog: ProviderRegistry.catalog).parse(file: "app.yml", text: text)
        let playbook = try #require(parsed, "\(problems)")
        let clock = TestClock(Date(timeIntervalSince1970: 1_767_574_800))
        let app = try await RotorApp.test(home: dir, clock: clock, label: "skip")
        let store = app.store
        _ = try await app.secrets
            .importCurrent(playbook, value: SecretValue("initial-0123456789abc"), handle: nil, actor: "t", replace: false)
        try await store.transaction { tx in
            var secret = try #require(try tx.secret(named: "app"))
            secret.nextRotationAt = clock.now.addingTimeInterval(30 * 86400)
            try tx.upsertSecret(secret)
        }
        return (store, playbook, clock, dir)
    }

    @Test func skipsPostponeByPolicyAreCappedAtMaxSkipsAndCutAtMaxAge() async throws {
        let (store, playbook, clock, dir) = try await world()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let skips = SkipService(store: store, clock: clock)
        let created = clock.now
        let first = try await skips.skip(playbook, for: nil, reason: "freeze", actor: "alice", via: "cli")
        #expect(first.newDate == created.addingTimeInterval(60 * 86400))
        #expect(!first.capped)
        // 60d + 45d would pass max_age (90d): cut to the limit, and the reply says so.
        let second = try await skips.skip(playbook, for: .seconds(45 * 86400), reason: "more", actor: "bob", via: "reply")
        #expect(second.newDate == created.addingTimeInterval(90 * 86400))
        #expect(second.capped && second.message.contains("compliance limit"))
        await #expect(throws: SkipError.tooManySkips(secret: "app", max: 2)) {
            try await skips.skip(playbook, for: nil, reason: "third", actor: "carol", via: "cli")
        }
        // An operator may override, and that is audited as such.
        let forced = try await skips.skip(playbook, for: .seconds(10 * 86400), reason: "board decision", actor: "ciso", via: "cli",
                                          overrideCompliance: true)
        #expect(forced.newDate == created.addingTimeInterval(100 * 86400))
        let actions = try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: "app", limit: nil).map(\.action) }
        #expect(actions.filter { $0 == "secret.skipped" }.count == 2)
        #expect(actions.contains("secret.skipped.override-compliance"))
        let notices = try await store.transaction { try $0.notifications(org: nil, secretName: "app", limit: 10) }
        #expect(notices.filter { $0.kind == "skip" }.count == 3, "the owner is told the new date each time")
    }
}
