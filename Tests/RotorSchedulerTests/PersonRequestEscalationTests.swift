import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// Issue 12, a person in the loop: what a rotation waits on a person for is reminded daily to the owner, escalated to
/// the playbook's channels and rotor.yml's `alerts:` (on-call) at the deadline, and counts as `overdue` in compliance
/// past it; a SKIP of a scheduled request withdraws it and asks again before the new date. Passes on a test clock, on
/// SQLite and PostgreSQL.
@Suite("Manual source: reminders, escalation and SKIP", .serialized)
struct PersonRequestEscalationTests {
    static let start = Date(timeIntervalSince1970: 1_767_574_800)
    static let day: TimeInterval = 86_400

    static func playbook(_ world: PersonWorld, schedule: String = "") throws -> Playbook {
        try world.shared.playbook("""
            secret: stripe-key
            owner: payments
            \(schedule)
            grace: 1h
            source:
              provider: manual
              instructions: Roll the key in the Stripe Dashboard and paste it.
              expect: "^rk_live_[A-Za-z0-9]{24,}$"
              request_before: 3d
              deadline: 2d
            targets: [ { provider: file, path: \(world.shared.dir)/app.env, key: STRIPE_KEY } ]
            notify: [ ops ]
            """)
    }

    static func compliance(_ world: PersonWorld, _ playbook: Playbook) async throws -> String? {
        try await ComplianceReport.build(store: world.app.store, playbooks: [playbook], now: world.clock.now, keyPolicy: nil)
            .items.first?.status
    }

    @Test(arguments: StoreBackend.allCases)
    func remindersGoToTheOwnerDailyThenToOnCallAtTheDeadlineAndTheSecretIsOverdue(_ backend: StoreBackend) async throws {
        try await PersonWorld.with(backend, start: Self.start) { world in
            let playbook = try Self.playbook(world)
            let canary = "rk_live_CANARY0123456789abcdefghij"
            _ = try await world.app.secrets.importCurrent(playbook, value: SecretValue(canary), handle: nil, actor: "t", replace: false)
            let asked = try await world.app.runner().rotate(playbook, .init(trigger: .manual, actor: "alice"))
            #expect(asked.rotation.state == .awaitingValue)
            func rows(_ kind: String) async throws -> [NotificationRecord] {
                try await world.notifications("stripe-key").filter { $0.kind == kind }
            }
            var said: [String] = []

            // The day of the request: the request itself, no reminder.
            world.clock.set(Self.start.addingTimeInterval(3_600))
            said += try await world.tick(playbook).map(\.message)
            #expect(try await rows("request-reminder").isEmpty)

            // A day later: one reminder to the owner, once however many passes that day.
            for hours in [24.5, 30, 40] {
                world.clock.set(Self.start.addingTimeInterval(hours * 3_600))
                said += try await world.tick(playbook).map(\.message)
            }
            let reminders = try await rows("request-reminder")
            #expect(reminders.map(\.channel) == ["ops"] && reminders.allSatisfy { !$0.urgent }, "\(reminders.map(\.channel))")
            #expect(reminders.first?.body.contains("rotor supply stripe-key") == true)
            #expect(try await rows("request-overdue").isEmpty)
            #expect(try await Self.compliance(world, playbook) != "overdue")

            // The deadline (2 days after the request): urgent, to the playbook's channel and on-call; overdue in compliance.
            world.clock.set(Self.start.addingTimeInterval(2 * Self.day + 60))
            said += try await world.tick(playbook).map(\.message)
            let escalated = try await rows("request-overdue")
            #expect(escalated.map(\.channel).sorted() == ["oncall", "ops"] && escalated.allSatisfy(\.urgent), "\(escalated.map(\.channel))")
            #expect(try await Self.compliance(world, playbook) == "overdue")
            world.clock.advance(by: 3_600)
            said += try await world.tick(playbook).map(\.message)
            #expect(try await rows("request-overdue").count == 2, "once per day")

            // Every further day, again.
            world.clock.set(Self.start.addingTimeInterval(3 * Self.day + 120))
            said += try await world.tick(playbook).map(\.message)
            #expect(try await rows("request-overdue").count == 4)
            #expect(try await rows("compliance_overdue").isEmpty, "the key is not past max_age: the request's escalation says what is late")

            let audit = try await world.audit()
            #expect(audit.filter { $0.action == "request.reminded" }.count == 1)
            #expect(audit.filter { $0.action == "request.escalated" }.count == 2)

            // Once the value comes, the reminders stop and the secret is no longer overdue.
            _ = try await world.app.supplies().supply(playbook, value: SecretValue("rk_live_SECOND0123456789abcdefghij"), actor: "alice")
            world.clock.advance(by: Self.day)
            said += try await world.tick(playbook).map(\.message)
            #expect(try await rows("request-overdue").count == 4)
            #expect(try await Self.compliance(world, playbook) != "overdue")
            let everything = try await world.everything(playbook, extra: said)
            #expect(!everything.contains(canary) && !everything.contains("rk_live_SECOND0123456789abcdefghij"))
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aSkipPostponesAWaitingRequestAndItIsAskedAgainBeforeTheNewDate(_ backend: StoreBackend) async throws {
        try await PersonWorld.with(backend, start: Self.start) { world in
            let playbook = try Self.playbook(world, schedule: """
                schedule: { every: 30d, warn_before: [] }
                policy: { max_age: 90d, skip_for: 7d }
                """)
            _ = try await world.app.secrets.importCurrent(playbook, value: SecretValue("rk_live_initial0123456789abcdefgh"),
                                                          handle: nil, actor: "t", replace: false)
            let due = try #require(Scheduler.plan(playbook, cycleStart: Self.start, nextRotation: nil)).due
            world.clock.set(due.addingTimeInterval(-3 * Self.day + 60))
            _ = try await world.tick(playbook)
            let waiting = try #require(try await world.rotations("stripe-key").first)
            #expect(waiting.state == .awaitingValue && waiting.trigger == .schedule)

            let skipped = try await world.app.skips.skip(playbook, for: nil, reason: "payments freeze", actor: "bob", via: "cli")
            #expect(skipped.newDate == due.addingTimeInterval(7 * Self.day))
            #expect(skipped.message.contains("withdrawn"), "\(skipped.message)")
            let ended = try #require(try await world.rotations("stripe-key").first { $0.id == waiting.id })
            #expect(ended.state == .rolledBack && ended.newVersionID == nil, "\(ended)")
            await #expect(throws: SupplyError.self, "its supply link and `rotor supply` no longer reach it") {
                try await world.app.supplies().waitingRotation(playbook)
            }
            let versions = try await world.app.store.transaction { try $0.versions(secretName: "stripe-key") }
            #expect(versions.count == 1, "nothing was minted")
            let postponed = try #require(try await world.audit().first { $0.action == "rotation.postponed" })
            #expect(postponed.actor == "bob" && postponed.reason == "payments freeze")

            // Not asked again until request_before the new date; then asked again, as scheduled.
            world.clock.advance(by: 60)
            _ = try await world.tick(playbook)
            world.clock.set(skipped.newDate.addingTimeInterval(-3 * Self.day - 60))
            _ = try await world.tick(playbook)
            #expect(try await world.rotations("stripe-key").count == 1)
            world.clock.set(skipped.newDate.addingTimeInterval(-3 * Self.day + 60))
            let items = try await world.tick(playbook)
            let again = try await world.rotations("stripe-key")
            #expect(again.count == 2 && again.first?.state == .awaitingValue && again.first?.trigger == .schedule, "\(items)")
            #expect(try await world.notifications("stripe-key").filter { $0.kind == "supply-request" }.count == 2)
        }
    }
}
