import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// Issue 10: the scheduler never forgets a deadline, and tells the truth about rotations that cannot finish.
@Suite("Scheduler deadlines", .serialized)
struct SchedulerDeadlineTests {
    /// One application on a store of `backend`, with `text` as its only playbook, imported at `start`.
    func world(_ backend: StoreBackend, start: Date, playbook text: (String) -> String,
               _ body: (RotorApp, Playbook, TestClock) async throws -> Void) async throws {
        let shared = try await SharedStore.make(backend)
        try await withCleanup({ await shared.remove() }) {
            let playbook = try shared.playbook(text(shared.dir))
            let clock = TestClock(start)
            let app = try await shared.app("deadline", clock: clock)
            try await withCleanup({ await app.close() }) {
                _ = try await app.secrets.importCurrent(playbook, value: SecretValue("initial-0123456789abc"),
                                                        handle: nil, actor: "t", replace: false)
                try await body(app, playbook, clock)
            }
        }
    }

    /// A pass as `rotor tick` runs it: maintenance, then the scheduler.
    func tick(_ app: RotorApp, _ playbook: Playbook) async throws -> [TickItem] {
        try await app.passWithoutDelivery([playbook])
    }

    @Test(arguments: StoreBackend.allCases)
    func aCronWithNoFiringForYearsStillRotatesAtMaxAge(_ backend: StoreBackend) async throws {
        // 1 March on a Sunday or Thursday: after 2 March 2029 the next is in 2035, beyond any search horizon.
        let start = try #require(ISO8601DateFormatter().date(from: "2029-03-02T00:00:00Z"))
        try await world(backend, start: start, playbook: { dir in """
            secret: app
            schedule: { cron: "49-58/8 1 1 3 */4", warn_before: [] }
            policy: { max_age: 90d }
            grace: 5m
            source: { provider: random }
            targets: [ { provider: file, path: \(dir)/app.env, key: VALUE } ]
            checks: []
            """ }) { app, playbook, clock in
            clock.set(start.addingTimeInterval(89 * 86_400))
            #expect(try await tick(app, playbook).isEmpty)
            let status = try await app.secrets.status(playbooks: [playbook], invalid: [:], only: "app")
            #expect(status.first?.nextRotationAt == start.addingTimeInterval(90 * 86_400))
            clock.set(start.addingTimeInterval(90 * 86_400 + 60))
            let items = try await tick(app, playbook)
            #expect(items.contains { $0.action == "rotated" }, "\(items)")
            let rotations = try await app.store.transaction { try $0.rotations(secretName: "app") }
            #expect(rotations.map(\.trigger) == [.compliance])
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aBackoffPastMaxAgeSendsOneUrgentAlert(_ backend: StoreBackend) async throws {
        let start = Date(timeIntervalSince1970: 1_767_574_800)
        try await world(backend, start: start, playbook: { dir in """
            secret: app
            schedule: { every: 30d, warn_before: [] }
            policy: { max_age: 30d }
            grace: 1h
            source: { provider: random }
            targets: [ { provider: file, path: \(dir)/app.env, key: VALUE } ]
            checks: [ { provider: exec, command: ["false"] } ]
            notify: [ ops, oncall ]
            """ }) { app, playbook, clock in
            clock.set(start.addingTimeInterval(30 * 86_400 + 60))
            let first = try await tick(app, playbook)
            #expect(first.contains { $0.action == "rotated" && $0.state == "rolled_back" }, "\(first)")
            // Inside the backoff (1 h), and its end is past max_age: waiting, and the owners are told once, urgently.
            for minutes in [20.0, 30, 40] {
                clock.set(start.addingTimeInterval(30 * 86_400 + minutes * 60))
                let items = try await tick(app, playbook)
                #expect(items.map(\.action) == ["waiting"], "\(items)")
            }
            let alerts = try await app.store.transaction { tx in
                try tx.notifications(org: nil, secretName: "app", limit: 100).filter { $0.kind == "overdue" }
            }
            #expect(alerts.map(\.channel).sorted() == ["oncall", "ops"])
            #expect(alerts.allSatisfy { $0.urgent && $0.subject.hasPrefix("[URGENT]") })
            let rotations = try await app.store.transaction { try $0.rotations(secretName: "app") }
            #expect(rotations.count == 1, "no second attempt inside the backoff")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRotationStuckPastItsStepTimeoutShowsInStatusAndCompliance(_ backend: StoreBackend) async throws {
        let start = Date(timeIntervalSince1970: 1_767_574_800)
        try await world(backend, start: start, playbook: { dir in """
            secret: app
            schedule: { every: 30d }
            policy: { step_timeout: 20m }
            source: { provider: random }
            targets: [ { provider: file, path: \(dir)/app.env, key: VALUE } ]
            checks: []
            """ }) { app, playbook, clock in
            let began = start.addingTimeInterval(3_600)
            try await app.store.transaction { tx in
                try tx.insertRotation(RotationRecord(id: "rot_stuck", secretName: "app", trigger: .manual, actor: "t",
                                                     state: .propagating, leaseOwner: "elsewhere:1:x",
                                                     leaseExpiresAt: began.addingTimeInterval(300), fence: 1,
                                                     createdAt: began, updatedAt: began))
                _ = try tx.appendJournal(rotationID: "rot_stuck", step: "generate", phase: .succeeded, detail: nil, at: began)
            }
            func observed() async throws -> (state: String?, stuck: Date?, compliance: String?) {
                let status = try await app.secrets.status(playbooks: [playbook], invalid: [:], only: "app").first
                let report = try await ComplianceReport.build(store: app.store, playbooks: [playbook], now: clock.now, keyPolicy: nil)
                return (status?.state, status?.stuckSince, report.items.first?.status)
            }
            clock.set(began.addingTimeInterval(15 * 60))
            var seen = try await observed()
            #expect(seen.state == "rotating" && seen.stuck == nil && seen.compliance != "failing", "\(seen)")
            clock.set(began.addingTimeInterval(21 * 60))
            seen = try await observed()
            #expect(seen.state == "stuck" && seen.stuck == began && seen.compliance == "failing", "\(seen)")
        }
    }
}
