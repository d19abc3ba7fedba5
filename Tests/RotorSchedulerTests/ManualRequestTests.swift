import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// A `manual` source: the scheduler asks for the value `request_before` the due date, the rotation waits (not stuck,
/// not blocking, not resumed), and a supplied value carries it through to grace.
@Suite("Scheduler: manual sources", .serialized)
struct ManualRequestTests {
    static let day: TimeInterval = 86_400

    @Test(arguments: StoreBackend.allCases)
    func theRequestGoesOutRequestBeforeTheDueDateAndTheRotationWaitsForTheValue(_ backend: StoreBackend) async throws {
        let start = Date(timeIntervalSince1970: 1_767_574_800)
        let shared = try await SharedStore.make(backend)
        try await withCleanup({ await shared.remove() }) {
            let playbook = try shared.playbook("""
                secret: stripe-key
                owner: payments
                schedule: { every: 30d, warn_before: [], window: "09:00-10:00", timezone: UTC }
                grace: 1h
                source:
                  provider: manual
                  instructions: Roll the key in the Stripe Dashboard and paste it.
                  expect: "^rk_live_[A-Za-z0-9]{24,}$"
                  request_before: 3d
                  deadline: 7d
                targets: [ { provider: file, path: \(shared.dir)/app.env, key: STRIPE_KEY } ]
                notify: [ payments-slack ]
                """)
            let clock = TestClock(start)
            let app = try await shared.app("manual", clock: clock)
            try await withCleanup({ await app.close() }) {
                _ = try await app.secrets.importCurrent(playbook, value: SecretValue("rk_live_initial0123456789abcdefgh"),
                                                        handle: nil, actor: "t", replace: false)
                func tick() async throws -> [TickItem] {
                    try await app.passWithoutDelivery([playbook])
                }
                func rotations() async throws -> [RotationRecord] {
                    try await app.store.transaction { try $0.rotations(secretName: "stripe-key") }
                }
                let due = try #require(Scheduler.plan(playbook, cycleStart: start, nextRotation: nil)).due
                clock.set(due.addingTimeInterval(-3 * Self.day - 60))
                #expect(try await tick().isEmpty)
                #expect(try await rotations().isEmpty)

                // Three days before the due date.
                clock.set(due.addingTimeInterval(-3 * Self.day + 60))
                let asked = try await tick()
                #expect(asked.contains { $0.action == "rotated" && $0.state == "awaiting_value" }, "\(asked)")
                let notices = try await app.store.transaction { try $0.notifications(org: nil, secretName: "stripe-key", limit: 50) }
                let request = try #require(notices.first { $0.kind == "supply-request" })
                #expect(request.channel == "payments-slack")
                #expect(request.body.contains("Roll the key in the Stripe Dashboard") && request.body.contains("rotor supply stripe-key"))

                // Past the due date: still waiting, neither resumed, stuck, nor reported as blocking.
                for days in [-1.0, 0.5, 1, 6] {
                    clock.set(due.addingTimeInterval(days * Self.day))
                    _ = try await tick()
                }
                let waiting = try await rotations()
                #expect(waiting.count == 1 && waiting.first?.state == .awaitingValue)
                #expect(waiting.first?.leaseOwner == nil, "nobody holds a waiting rotation")
                let later = try await app.store.transaction { try $0.notifications(org: nil, secretName: "stripe-key", limit: 50) }
                #expect(!later.contains { $0.subject.lowercased().contains("stuck") || $0.subject.lowercased().contains("blocked") },
                        "\(later.map(\.subject))")
                let status = try await app.secrets.status(playbooks: [playbook], invalid: [:], only: "stripe-key")
                #expect(status.first?.state == "awaiting_value")

                let supplies = app.supplies()
                await #expect(throws: ValueRefusal.self) {
                    try await supplies.supply(playbook, value: SecretValue("sk_live_wrong"), actor: "alice")
                }
                let outcome = try await supplies.supply(playbook, value: SecretValue("rk_live_NEW0123456789abcdefghijk"), actor: "alice")
                #expect(outcome.rotation.state == .grace)
                let file = try String(contentsOfFile: "\(shared.dir)/app.env", encoding: .utf8)
                #expect(file.contains("STRIPE_KEY=rk_live_NEW0123456789abcdefghijk"))
                await #expect(throws: SupplyError.self) {
                    try await supplies.supply(playbook, value: SecretValue("rk_live_NEW0123456789abcdefghijk"), actor: "alice")
                }
            }
        }
    }
}
