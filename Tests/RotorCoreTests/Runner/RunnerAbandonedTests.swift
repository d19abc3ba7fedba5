import Foundation
import Logging
@testable import RotorCore
import RotorTestSupport
import Testing

/// The credential a failed rotation minted and no undo will ever revoke (a later rotation superseded it): a pass
/// revokes it once it can prove no target holds it, and never while one might.
@Suite("Abandoned credentials")
struct RunnerAbandonedTests {
    /// A runner whose failures alert the `ops` channel.
    func runner(_ world: RunnerWorld) -> RotationRunner {
        RotationRunner(store: world.store, sealer: world.sealer, factory: world.vendor, clock: world.clock,
                       logger: CapturingLogHandler.logger("rotor.runner", into: world.logs),
                       configuration: .init(owner: "host-a:runner", leaseDuration: RunnerWorld.lease,
                                            alerts: AlertsConfig(channels: ["ops"])))
    }

    func tick(_ world: RunnerWorld, _ runner: RotationRunner) async -> [TickItem] {
        await Maintenance(runner: runner, store: world.store, clock: world.clock, playbooks: [RunnerWorld.secret: world.playbook],
                          logger: CapturingLogHandler.logger("rotor.tick", into: world.logs)).tick()
    }

    /// A rotation whose check failed and whose restores failed too: it ends `failed` with its new value on every
    /// target. Returns it and that value.
    func abandon(_ world: RunnerWorld, _ runner: RotationRunner) async throws -> (RotationOutcome, String) {
        world.vendor.state.withLock {
            $0.checksFail = true
            $0.restoresFail = true
        }
        let failed = try await world.rotate(with: runner)
        #expect(failed.rotation.state == .failed)
        let value = try #require(try await world.snapshot().version(id: failed.rotation.newVersionID)).value
        #expect(world.vendor.snapshot.targets.allSatisfy { $0 == value })
        world.vendor.state.withLock {
            $0.checksFail = false
            $0.restoresFail = false
        }
        world.clock.advance(by: 60)
        return (failed, value)
    }

    func journal(_ world: RunnerWorld, _ rotationID: String) async throws -> [JournalEntry] {
        try await world.store.transaction { try $0.journal(rotationID: rotationID) }
    }

    @Test(arguments: RunnerWorld.Backend.allCases)
    func aTickRevokesTheCredentialOfAnAbandonedRotationOnceNoTargetHoldsIt(_ backend: RunnerWorld.Backend) async throws {
        let world = try await RunnerWorld.make(targets: 2, checks: 1, backend: backend)
        try await withCleanup({ await world.close() }) {
            let runner = runner(world)
            let (first, abandoned) = try await abandon(world, runner)
            let second = try await world.rotate(with: runner)
            #expect(second.rotation.state == .grace)
            #expect(world.vendor.snapshot.targets.allSatisfy { $0 != abandoned })

            // While the later rotation can still be rolled back, its undo may write the abandoned value back.
            let waiting = await tick(world, runner)
            #expect(waiting.contains { $0.rotationID == first.rotation.id && $0.action == "abandoned-deferred" })
            #expect(world.vendor.accepts(abandoned))

            world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1)
            let items = await tick(world, runner)
            #expect(items.contains { $0.rotationID == second.rotation.id && $0.state == "completed" })
            #expect(items.contains { $0.rotationID == first.rotation.id && $0.action == "abandoned-revoked" })
            #expect(!world.vendor.accepts(abandoned))
            #expect(world.vendor.snapshot.violations.isEmpty)
            #expect(world.vendor.snapshot.revocations.filter { $0.value == abandoned }.count == 1)

            let snapshot = try await world.snapshot()
            let version = try #require(snapshot.version(id: first.rotation.newVersionID)).record
            #expect(version.revokedAt != nil && version.label == .failed)
            let audit = snapshot.audit.filter { $0.action == "step.undo.generate" && $0.rotationID == first.rotation.id }
            #expect(audit.map(\.outcome) == ["succeeded"])
            #expect(audit.first?.detail?.hasPrefix("abandoned rotation") == true)
            let steps = try await journal(world, first.rotation.id).filter { $0.step == "undo:generate" }
            #expect(steps.map(\.phase) == [.started, .succeeded])
            #expect(!"\(snapshot.audit)".contains(abandoned))

            // Settled once: a later pass finds nothing left to do.
            #expect(!(await tick(world, runner)).contains { $0.rotationID == first.rotation.id })
            #expect(world.vendor.snapshot.revocations.filter { $0.value == abandoned }.count == 1)
        }
    }

    @Test(arguments: RunnerWorld.Backend.allCases)
    func anAbandonedCredentialATargetHoldsOrMayHoldIsNotRevokedAndAlerts(_ backend: RunnerWorld.Backend) async throws {
        let world = try await RunnerWorld.make(targets: 2, checks: 1, backend: backend)
        try await withCleanup({ await world.close() }) {
            let runner = runner(world)
            let (first, abandoned) = try await abandon(world, runner)
            // The next rotation fails before it writes anything: the targets keep the abandoned value.
            world.vendor.state.withLock { $0.mintsFail = true }
            #expect(try await world.rotate(with: runner).rotation.state == .rolledBack)
            world.vendor.state.withLock { $0.mintsFail = false }

            for _ in 0..<2 {
                let items = await tick(world, runner)
                let held = try #require(items.first { $0.rotationID == first.rotation.id })
                #expect(held.action == "abandoned-held")
                #expect(held.message.contains("memory target 0: holds") && held.message.contains("memory target 1: holds"))
                #expect(held.message.contains("rotor resolve app-token --retry"))
                #expect(world.vendor.accepts(abandoned))
            }
            let alerts = try await world.store.transaction { try $0.notifications(org: nil, secretName: RunnerWorld.secret, limit: 100) }
                .filter { $0.dedupeKey.hasPrefix("alert:\(first.rotation.id):abandoned_held") }
            #expect(alerts.count == 1, "raised once, however many passes")
            let event = try #require(AlertEvent(json: alerts.first?.event))
            #expect(event.targets.contains { $0.hasPrefix("memory target 0") })
            #expect(event.fix?.contains("rotor resolve app-token --retry") == true)
            #expect(!"\(alerts)".contains(abandoned))
            // Kept: reminded once a day while it stays so.
            world.clock.advance(by: 86_400)
            #expect(await tick(world, runner).contains { $0.rotationID == first.rotation.id && $0.action == "abandoned-held" })
            let reminders = try await world.store.transaction { try $0.notifications(org: nil, secretName: RunnerWorld.secret, limit: 100) }
                .filter { $0.dedupeKey.hasPrefix("alert:\(first.rotation.id):abandoned_held:remind1") }
            #expect(reminders.count == 1)
            #expect(AlertEvent(json: reminders.first?.event)?.reminder == true)

            // The operator puts the current value back on the targets, but they cannot be read back to prove it.
            world.vendor.state.withLock {
                $0.targets = [RunnerWorld.oldValue, RunnerWorld.oldValue]
                $0.targetsUnreadable = true
            }
            let unreadable = await tick(world, runner)
            #expect(unreadable.first { $0.rotationID == first.rotation.id }?.message.contains("cannot read its value back") == true)
            #expect(world.vendor.accepts(abandoned))

            // Readable again: the command the alert names revokes it.
            world.vendor.state.withLock { $0.targetsUnreadable = false }
            let resolved = try await ResolveService(store: world.store, runner: runner)
                .resolve(world.playbook, .retry, actor: "tests")
            #expect(resolved.rotationID == first.rotation.id)
            #expect(resolved.error == nil)
            #expect(!world.vendor.accepts(abandoned))
            #expect(world.vendor.snapshot.violations.isEmpty)
            let audit = try await world.snapshot().audit.filter { $0.action == "step.undo.generate" && $0.rotationID == first.rotation.id }
            #expect(audit.map(\.outcome) == ["succeeded"])
        }
    }

    /// The later rotation minted on the same handle (one role's password set again): revoking the abandoned credential by
    /// that handle would revoke the value in use, so it is recorded as superseded and the source is not called.
    @Test func anAbandonedCredentialWhoseHandleTheCurrentVersionReusesIsNeverRevokedByIt() async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1)
        try await withCleanup({ await world.close() }) {
            let runner = runner(world)
            world.vendor.state.withLock { $0.sharedHandle = "role_app" }
            let (first, abandoned) = try await abandon(world, runner)
            let second = try await world.rotate(with: runner)
            world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1)
            let items = await tick(world, runner)
            #expect(items.contains { $0.rotationID == second.rotation.id && $0.state == "completed" })
            let settled = try #require(items.first { $0.rotationID == first.rotation.id })
            #expect(settled.action == "abandoned-revoked" && settled.message.contains("superseded"))
            #expect(!world.vendor.snapshot.revocations.contains { $0.value == abandoned })
            let current = try #require(try await world.snapshot().versions.first { $0.record.label == .current })
            #expect(world.vendor.accepts(current.value))
            let audit = try await world.snapshot().audit.filter { $0.action == "step.undo.generate" && $0.rotationID == first.rotation.id }
            #expect(audit.map(\.outcome) == ["superseded"])
        }
    }
}
