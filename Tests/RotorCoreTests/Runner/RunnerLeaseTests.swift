import Foundation
@testable import RotorCore
import RotorTestSupport
import Synchronization
import Testing

/// Two processes never act on one rotation: the lease is renewed while a slow step runs, every write is fenced
/// by lease owner and fence, and a cancelled runner leaves its rotation resumable. On both store backends.
@Suite("Runner leases")
struct RunnerLeaseTests {
    /// A deploy slower than the lease: while it is in flight the clock passes the lease's expiry again and again,
    /// and a second process that tries to take over each time is refused; the rotation still reaches grace.
    @Test(.timeLimit(.minutes(1)), arguments: RunnerWorld.Backend.allCases)
    func aLeaseIsRenewedWhileASlowStepIsInFlight(_ backend: RunnerWorld.Backend) async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1, backend: backend)
        try await withCleanup({ await world.close() }) {
            let gate = Gate()
            world.vendor.state.withLock { $0.applyGate = gate }
            let renewals = AsyncStream<Date>.makeStream()
            let first = world.runner(owner: "host-a:slow", heartbeat: .milliseconds(20),
                                     onLeaseRenewed: { renewals.continuation.yield($0) })
            let rotation = Task { try await world.rotate(with: first) }
            await gate.arrival()
            var renewed = renewals.stream.makeAsyncIterator()
            for _ in 0..<3 {
                // Past the expiry of the lease as it was before the next beat.
                world.clock.advance(by: RunnerWorld.lease / .seconds(1) * 2 / 3 + 1)
                let floor = world.clock.now.addingTimeInterval(RunnerWorld.lease / .seconds(1) - 1)
                while let until = await renewed.next(), until < floor {}
                let other = world.runner(owner: "host-b:takeover")
                let refused = await #expect(throws: RunnerError.self) {
                    _ = try await world.drive(with: other, entry: .rollback(reason: "take over"))
                }
                #expect(refused?.code == .leaseHeld)
            }
            gate.open()
            #expect(try await rotation.value.rotation.state == .grace)
            try await world.checkInvariants(settled: true, "after the slow deploy")
        }
    }

    /// The lease lapsed while a check hung (a paused process); another process rolled the rotation back. When the
    /// check returns, the first runner learns it lost the lease and writes nothing more: no journal line, no
    /// audit row, no state, no undo of its own.
    @Test(arguments: RunnerWorld.Backend.allCases)
    func aRunnerThatLostItsLeaseWritesNothingMore(_ backend: RunnerWorld.Backend) async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1, backend: backend)
        try await withCleanup({ await world.close() }) {
            let gate = Gate()
            world.vendor.state.withLock { $0.checkGate = gate }
            let paused = world.runner(owner: "host-a:paused", heartbeat: .seconds(86_400))
            let rotation = Task { try await world.rotate(with: paused) }
            await gate.arrival()

            world.clock.advance(by: RunnerWorld.lease / .seconds(1) + 1)
            let rescuer = world.runner(owner: "host-b:rescuer")
            let rolledBack = try await world.drive(with: rescuer, entry: .rollback(reason: "operator"))
            #expect(rolledBack.rotation.state == .rolledBack)
            let settled = try await world.snapshot()

            gate.open()
            let lost = await #expect(throws: RunnerError.self) { _ = try await rotation.value }
            #expect(lost?.code == .leaseLost)
            let after = try await world.snapshot()
            #expect(after.rotation == settled.rotation)
            #expect(after.journal == settled.journal)
            #expect(after.audit.count == settled.audit.count)
            #expect(world.vendor.snapshot.revocations.count == 1, "only the rescuer revoked the new credential")
            #expect(world.vendor.snapshot.targets == [RunnerWorld.oldValue])
            // Not `settled`: the paused runner's check stays without an outcome in the journal, as it must.
            #expect(try await world.checkInvariants(settled: false, "after the paused runner woke up") == .rolledBack)
        }
    }

    /// SIGTERM, or a service group shutting down, cancels the task driving a rotation mid-propagate: the rotation
    /// is not rolled back but stays in its state with the lease given up, and a later resume finishes it.
    @Test(arguments: RunnerWorld.Backend.allCases)
    func aCancelledRotationStaysResumable(_ backend: RunnerWorld.Backend) async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1, backend: backend)
        try await withCleanup({ await world.close() }) {
            let gate = Gate()
            world.vendor.state.withLock { $0.applyGate = gate }
            let rotation = Task { try await world.rotate(with: world.runner(owner: "host-a:stopping")) }
            await gate.arrival()
            rotation.cancel()
            await #expect(throws: CancellationError.self) { _ = try await rotation.value }

            let stopped = try #require(try await world.snapshot().rotation)
            #expect(stopped.state == .propagating)
            #expect(stopped.leaseOwner == nil)
            #expect(world.vendor.snapshot.revocations.isEmpty, "nothing was undone")
            try await world.checkInvariants(settled: false, "after the cancellation")

            let resumed = try await world.drive(with: world.runner(owner: "host-b:restarted"), entry: .resume)
            #expect(resumed.rotation.state == .grace)
            try await world.checkInvariants(settled: true, "after the resume")
        }
    }
}
