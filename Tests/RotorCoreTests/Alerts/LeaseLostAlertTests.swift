import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// A runner that loses its lease in the middle of a step stops, and says so on the alert channels.
@Suite struct LeaseLostAlertTests {
    /// The memory providers, except that writing target 0 lets another daemon take the rotation's lease over.
    final class Thief: ProviderFactory {
        let vendor: MemoryVendor
        let store: any Store

        init(vendor: MemoryVendor, store: any Store) {
            self.vendor = vendor
            self.store = store
        }

        func source(for playbook: Playbook) throws -> any CredentialSource { try vendor.source(for: playbook) }
        func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck { try vendor.check(config, of: playbook) }
        func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget {
            StealingTarget(inner: try vendor.target(config, of: playbook), store: store)
        }
    }

    struct StealingTarget: SecretTarget {
        let inner: any SecretTarget
        let store: any Store
        var label: String { inner.label }
        var provider: String { inner.provider }

        func apply(_ value: SecretValue, _ context: StepContext) async throws {
            try await inner.apply(value, context)
            let rotationID = context.rotationID
            try await store.transaction { tx in
                guard var rotation = try tx.rotation(id: rotationID) else { return }
                rotation.leaseOwner = "daemon-b"
                try tx.updateRotation(rotation)
            }
        }

        func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
            try await inner.restore(previous, context)
        }
    }

    @Test func aRunnerThatLosesItsLeaseMidStepAlertsTheAlertChannels() async throws {
        let world = try await RunnerWorld.make(targets: 1)
        try await withCleanup({ await world.close() }) {
            let runner = RotationRunner(store: world.store, sealer: world.sealer, factory: Thief(vendor: world.vendor, store: world.store),
                                        clock: world.clock, logger: CapturingLogHandler.logger("rotor.runner.a", into: world.logs),
                                        configuration: .init(owner: "daemon-a", alerts: AlertsConfig(channels: ["oncall"])))
            let error = await #expect(throws: RunnerError.self) { try await world.rotate(with: runner) }
            #expect(error?.code == .leaseLost)

            let rows = try await world.store.transaction { try $0.notifications(org: nil, secretName: RunnerWorld.secret, limit: 100) }
            let lost = try #require(rows.first { $0.kind == "lease_lost" })
            #expect(rows.filter { $0.kind == "lease_lost" }.count == 1)
            #expect(lost.channel == "oncall")
            #expect(lost.urgent)
            #expect(lost.body.contains("lost its lease"))
            #expect(lost.body.contains("daemon-b"))
            #expect(lost.body.contains("rotor status \(RunnerWorld.secret)"))
            #expect(AlertEvent(json: lost.event)?.type == .leaseLost)
        }
    }
}
