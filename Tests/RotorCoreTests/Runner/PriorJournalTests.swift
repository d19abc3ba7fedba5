import Foundation
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// What a target held before a rotation's first write is journaled sealed, bound to the rotation and the
/// target's step, and handed back to that target's undo step.
@Suite("Prior values in the journal")
struct PriorJournalTests {
    /// Targets that journal "held-by-target-N" before their first write and remember what their undo read back.
    final class PriorFactory: ProviderFactory, @unchecked Sendable {
        let vendor: MemoryVendor
        private let lock = NSLock()
        private var restored: [Int: String] = [:]
        init(vendor: MemoryVendor) { self.vendor = vendor }

        var restoredPriors: [Int: String] { lock.withLock { restored } }

        func source(for playbook: Playbook) throws -> any CredentialSource { try vendor.source(for: playbook) }
        func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck { try vendor.check(config, of: playbook) }
        func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget {
            Target(factory: self, index: config.index)
        }

        struct Target: SecretTarget {
            let factory: PriorFactory
            let index: Int
            var label: String { "prior target \(index)" }
            var provider: String { "memory" }

            func apply(_ value: SecretValue, _ context: StepContext) async throws {
                if try await context.priorValue() == nil { try await context.checkpointPrior(Array("held-by-target-\(index)".utf8)) }
            }

            func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
                let prior = try await context.priorValue().map { String(decoding: $0, as: UTF8.self) }
                factory.lock.withLock { factory.restored[index] = prior ?? "nothing" }
            }
        }
    }

    @Test func aRollbackHandsEachTargetWhatItHeldBeforeAndTheJournalKeepsItSealed() async throws {
        let world = try await RunnerWorld.make(targets: 2, checks: 1, checksFail: true)
        try await withCleanup({ await world.close() }) {
            let factory = PriorFactory(vendor: world.vendor)
            let runner = RotationRunner(store: world.store, sealer: world.sealer, factory: factory, clock: world.clock,
                                        logger: CapturingLogHandler.logger("rotor.runner", into: world.logs),
                                        configuration: .init(owner: "prior-test", leaseDuration: RunnerWorld.lease))
            let outcome = try await runner.rotate(world.playbook, .init(trigger: .manual, actor: "tests", reason: "prior"))
            #expect(outcome.rotation.state == .rolledBack)
            #expect(factory.restoredPriors == [0: "held-by-target-0", 1: "held-by-target-1"])

            let snapshot = try await world.snapshot()
            let notes = snapshot.journal.compactMap(\.detail).filter { $0.hasPrefix("prior:") }
            #expect(notes.count == 2)
            #expect(!notes.contains { $0.contains("held-by-target") })
            // Bound to the rotation and the step: the box does not open under another step's context.
            let note = try #require(snapshot.journal.first { $0.step == "propagate:0" && $0.detail?.hasPrefix("prior:") == true }?.detail)
            let body = note.dropFirst("prior:".count)
            let colon = try #require(body.lastIndex(of: ":"))
            let sealed = SealedValue(keyID: String(body[..<colon]), box: try #require(Base64.decode(String(body[body.index(after: colon)...]))))
            let rotationID = try #require(snapshot.rotation?.id)
            #expect(try world.sealer.open(sealed, context: SealingContext.prior(rotationID: rotationID, step: "propagate:0"))
                    == Array("held-by-target-0".utf8))
            #expect(throws: (any Error).self) {
                try world.sealer.open(sealed, context: SealingContext.prior(rotationID: rotationID, step: "propagate:1"))
            }
        }
    }
}
