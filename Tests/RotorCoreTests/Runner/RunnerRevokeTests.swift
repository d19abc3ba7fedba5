import Foundation
@testable import RotorCore
import RotorTestSupport
import Testing

/// Revocations as the audit trail tells them.
@Suite("Runner revocations")
struct RunnerRevokeTests {
    /// Someone revoked the old key at the vendor during grace: the revoke step still succeeds (revoke is idempotent)
    /// and its audit row says the key was already revoked.
    @Test func anOldKeyRevokedAtTheVendorAlreadyIsAuditedAsAlreadyRevoked() async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1)
        try await withCleanup({ await world.close() }) {
            let runner = world.runner(owner: "host-a:runner")
            #expect(try await world.rotate(with: runner).rotation.state == .grace)
            _ = world.vendor.state.withLock { $0.valid.remove(RunnerWorld.oldValue) }
            world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1)
            #expect(try await world.drive(with: runner, entry: .graceElapsed).rotation.state == .completed)

            let revoke = try #require(try await world.snapshot().audit.first { $0.action == "step.revoke" })
            #expect(revoke.outcome == "succeeded")
            #expect(revoke.detail == "already revoked")
        }
    }
}
