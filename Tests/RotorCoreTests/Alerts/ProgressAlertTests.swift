import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// `notify_on: [started]`: one message when a rotation starts, then progress as each target goes live ("updating
/// targets 2/4: … is live"), written in the transaction that records the target's write; a playbook with many
/// targets gets about ten progress messages, not one per target. The runner and the store are real.
@Suite struct ProgressAlertTests {
    func rotate(targets: Int, notifyOn: Set<NotifyEvent>, backend: RunnerWorld.Backend = .sqlite) async throws -> [NotificationRecord] {
        let world = try await RunnerWorld.make(targets: targets, backend: backend)
        return try await withCleanup({ await world.close() }) {
            var playbook = world.playbook
            playbook.notify = ["team"]
            playbook.notifyOn = notifyOn
            let runner = RotationRunner(store: world.store, sealer: world.sealer, factory: world.vendor, clock: world.clock,
                                        logger: CapturingLogHandler.logger("rotor.runner", into: world.logs),
                                        configuration: .init(owner: "daemon-a", alerts: AlertsConfig(channels: ["oncall"])))
            let outcome = try await runner.rotate(playbook, .init(trigger: .manual, actor: "tests", reason: nil))
            #expect(outcome.rotation.state == .grace)
            return try await world.store.transaction { try $0.notifications(org: nil, secretName: RunnerWorld.secret, limit: 1000) }
        }
    }

    @Test(arguments: RunnerWorld.Backend.allCases)
    func startedThenOneProgressMessagePerTargetAsItGoesLive(_ backend: RunnerWorld.Backend) async throws {
        let rows = try await rotate(targets: 4, notifyOn: [.started], backend: backend)
        #expect(rows.filter { $0.kind == "started" }.map(\.channel) == ["team"])
        let progress = rows.filter { $0.kind == "progress" }
        #expect(progress.allSatisfy { $0.channel == "team" && !$0.urgent }, "lifecycle messages: the playbook's channel only")
        let summaries = progress.compactMap { AlertEvent(json: $0.event)?.summary }.sorted()
        #expect(summaries.count == 4, "\(summaries)")
        for done in 1...4 {
            #expect(summaries.contains { $0.contains("updating targets \(done)/4: memory target") && $0.hasSuffix("is live.") },
                    "\(done)/4 in \(summaries)")
        }
        // Each target is named once: the message says which one went live.
        let named = Set(summaries.compactMap { $0.firstMatch(of: /memory target \d/).map { String($0.output) } })
        #expect(named.count == 4)
        let last = try #require(progress.first { $0.body.contains("4/4") })
        #expect(last.body.contains("every target holds the new key"))
        #expect(!rows.contains { $0.body.contains(RunnerWorld.oldValue) || ($0.event ?? "").contains(RunnerWorld.oldValue) })
    }

    @Test func manyTargetsGiveAboutTenProgressMessagesNotOnePerTarget() async throws {
        let rows = try await rotate(targets: 25, notifyOn: [.started])
        let counts = rows.filter { $0.kind == "progress" }.compactMap { AlertEvent(json: $0.event)?.summary }
            .compactMap { $0.firstMatch(of: /updating targets (\d+)\/25/).flatMap { Int($0.output.1) } }.sorted()
        #expect(counts == [3, 6, 9, 12, 15, 18, 21, 24, 25])
    }

    @Test func withoutStartedInNotifyOnNoProgressIsWritten() async throws {
        let rows = try await rotate(targets: 3, notifyOn: NotifyEvent.defaults)
        #expect(!rows.contains { $0.kind == "progress" || $0.kind == "started" }, "\(rows.map(\.kind))")
    }
}
