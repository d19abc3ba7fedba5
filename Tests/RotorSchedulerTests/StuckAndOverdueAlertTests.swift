import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// Issue 10: a rotation stuck past its `step_timeout` raises an alert of its own (once per state, reminders every
/// `remind_every`), and the scheduler's past-max-age alert reaches rotor.yml's `alerts:` channels like every other
/// alert. Passes run as `rotor tick` runs them, on a test clock, on SQLite and PostgreSQL.
@Suite("Stuck and past-max-age alerts", .serialized)
struct StuckAndOverdueAlertTests {
    /// `ops` is the playbook's channel, `oncall` rotor.yml's alert channel (both in-app outboxes: the rows are the point).
    static let config = """
        channels:
          ops: { type: outbox }
          oncall: { type: outbox }
        alerts: { channels: [oncall], remind_every: 24h }
        """

    func world(_ backend: StoreBackend, start: Date, playbook text: (String) -> String,
               _ body: (RotorApp, Playbook, TestClock) async throws -> Void) async throws {
        let shared = try await SharedStore.make(backend)
        try await withCleanup({ await shared.remove() }) {
            let configPath = try shared.writeConfig(Self.config)
            let playbook = try shared.playbook(text(shared.dir))
            let clock = TestClock(start)
            let app = try await shared.app("alerts", clock: clock, configPath: configPath)
            try await withCleanup({ await app.close() }) {
                _ = try await app.secrets.importCurrent(playbook, value: SecretValue("initial-0123456789abc"),
                                                        handle: nil, actor: "t", replace: false)
                try await body(app, playbook, clock)
            }
        }
    }

    /// A pass as `rotor tick` runs it (without delivery: the outbox rows are what is checked).
    func tick(_ app: RotorApp, _ playbook: Playbook) async throws -> [TickItem] {
        try await app.passWithoutDelivery([playbook])
    }

    func rows(_ app: RotorApp, kind: String) async throws -> [NotificationRecord] {
        try await app.store.transaction { tx in
            try tx.notifications(org: nil, secretName: "app", limit: 1000).filter { $0.kind == kind }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRotationStuckPastItsStepTimeoutAlertsOnceAndRemindsDaily(_ backend: StoreBackend) async throws {
        let start = Date(timeIntervalSince1970: 1_767_574_800)
        try await world(backend, start: start, playbook: { dir in """
            secret: app
            schedule: { every: 30d }
            policy: { step_timeout: 20m }
            source: { provider: random }
            targets: [ { provider: file, path: \(dir)/app.env, key: VALUE } ]
            checks: []
            notify: [ ops ]
            """ }) { app, playbook, clock in
            // A rotation left in `propagating` by a process that died; no pass can resume it (it has no plan).
            let began = start.addingTimeInterval(3_600)
            try await app.store.transaction { tx in
                try tx.insertRotation(RotationRecord(id: "rot_stuck", secretName: "app", trigger: .manual, actor: "t",
                                                     state: .propagating, leaseOwner: "elsewhere:1:x",
                                                     leaseExpiresAt: began.addingTimeInterval(300), fence: 1,
                                                     createdAt: began, updatedAt: began))
                _ = try tx.appendJournal(rotationID: "rot_stuck", step: "propagate:0", phase: .started, detail: nil, at: began)
            }
            clock.set(began.addingTimeInterval(15 * 60))
            _ = try await tick(app, playbook)
            #expect(try await rows(app, kind: "stuck").isEmpty, "not stuck yet: 15 of 20 minutes")

            // Past the step timeout: one urgent alert, to the playbook's channel and the alert channel.
            clock.set(began.addingTimeInterval(21 * 60))
            let items = try await tick(app, playbook)
            #expect(items.contains { $0.action == "alerted" && $0.rotationID == "rot_stuck" }, "\(items)")
            var stuck = try await rows(app, kind: "stuck")
            #expect(stuck.map(\.channel).sorted() == ["oncall", "ops"])
            let first = try #require(stuck.first)
            #expect(first.urgent && first.subject.hasPrefix("[URGENT]"))
            #expect(first.subject.contains("stuck past its step_timeout"))
            #expect(first.body.contains("no progress since \(ISO8601.string(began))"))
            #expect(first.body.contains("step_timeout of 20m"), "\(first.body)")
            #expect(first.body.contains("while it was propagating (write "), "names the step as people know it: \(first.body)")
            #expect(first.body.contains("rotor history app"))
            let event = try #require(AlertEvent(json: first.event))
            #expect(event.type == .stuck && event.rotationID == "rot_stuck" && event.state == "propagating")

            // Passes go on: no second alert for the same state.
            for minutes in [30.0, 45, 120] {
                clock.set(began.addingTimeInterval(minutes * 60))
                _ = try await tick(app, playbook)
            }
            #expect(try await rows(app, kind: "stuck").count == 2)

            // Still stuck a day later: one reminder on the same channels, and not again the same day.
            clock.set(began.addingTimeInterval(21 * 60 + 86_400 + 60))
            _ = try await tick(app, playbook)
            clock.set(began.addingTimeInterval(21 * 60 + 86_400 + 3_600))
            _ = try await tick(app, playbook)
            stuck = try await rows(app, kind: "stuck")
            #expect(stuck.count == 4, "\(stuck.map(\.dedupeKey))")
            let reminders = stuck.filter { $0.subject.contains("Reminder:") }
            #expect(reminders.map(\.channel).sorted() == ["oncall", "ops"])
            #expect(reminders.allSatisfy { AlertEvent(json: $0.event)?.reminder == true })
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aBackoffPastMaxAgeAlsoAlertsTheAlertChannels(_ backend: StoreBackend) async throws {
        let start = Date(timeIntervalSince1970: 1_767_574_800)
        try await world(backend, start: start, playbook: { dir in """
            secret: app
            schedule: { every: 30d, warn_before: [] }
            policy: { max_age: 30d }
            grace: 1h
            source: { provider: random }
            targets: [ { provider: file, path: \(dir)/app.env, key: VALUE } ]
            checks: [ { provider: exec, command: ["false"] } ]
            notify: [ ops ]
            """ }) { app, playbook, clock in
            clock.set(start.addingTimeInterval(30 * 86_400 + 60))
            let first = try await tick(app, playbook)
            #expect(first.contains { $0.action == "rotated" && $0.state == "rolled_back" }, "\(first)")
            for minutes in [20.0, 30, 40] {
                clock.set(start.addingTimeInterval(30 * 86_400 + minutes * 60))
                _ = try await tick(app, playbook)
            }
            let overdue = try await rows(app, kind: "overdue")
            #expect(overdue.map(\.channel).sorted() == ["oncall", "ops"], "the playbook's channel and rotor.yml's alert channel")
            #expect(overdue.allSatisfy { $0.urgent && $0.subject.contains("will pass its max_age") })
            #expect(overdue.allSatisfy { AlertEvent(json: $0.event)?.type == .complianceOverdue })
            #expect(overdue.first?.body.contains("rotor rotate app") == true)
        }
    }
}
