import Foundation
@testable import RotorCore
import RotorTestSupport
import Testing

/// The runner "dies" at every journal boundary of every step (a ``FaultPlan`` that throws instead of exiting),
/// then a new process takes the lease over once it expired and a `rotor tick` pass finishes or rolls back the
/// rotation. The invariants of DESIGN.md hold right after the crash and after every pass.
@Suite("Runner crash windows")
struct RunnerCrashTests {
    @Test(arguments: CrashCase.all)
    func aCrashAtAnyBoundaryIsFinishedOrRolledBackByTheNextPass(_ crash: CrashCase) async throws {
        let world = try await RunnerWorld.make(checksFail: crash.path == .failingCheck)
        try await withCleanup({ await world.close() }) {
            try await Self.prepare(crash.path, in: world)

            let dying = world.runner(owner: "host-a:dying", fault: crash.fault)
            let died = await #expect(throws: SimulatedCrash.self) { try await Self.act(crash.path, in: world, with: dying) }
            #expect(died?.point == crash.point && died?.step == crash.step, "died at \(String(describing: died))")
            try await world.checkInvariants(settled: false, "after the crash")

            // Another process takes over once the dead one's lease expired.
            world.clock.advance(by: RunnerWorld.lease / .seconds(1) + 1)
            let items = await world.tick(owner: "host-b:rescuer")
            #expect(items.count == 1 && !items.contains { $0.action == "error" }, "\(items)")
            let state = try await world.checkInvariants(settled: true, "after the next pass")
            #expect(state == crash.path.settlesIn)

            // And the rotation can be carried to its end.
            guard state == .grace else { return }
            world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1)
            _ = await world.tick(owner: "host-b:rescuer")
            #expect(try await world.checkInvariants(settled: true, "after grace") == .completed)
            #expect(!world.vendor.accepts(RunnerWorld.oldValue), "the old credential is revoked after grace")
        }
    }

    /// Brings the rotation to where the crashing runner takes it up.
    static func prepare(_ path: CrashCase.Path, in world: RunnerWorld) async throws {
        switch path {
        case .rotate, .failingCheck:
            return
        case .graceEnd, .rollbackInGrace:
            let outcome = try await world.rotate(with: world.runner(owner: "host-a:first"))
            #expect(outcome.rotation.state == .grace)
            if path == .graceEnd { world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1) }
        }
    }

    /// What the runner that dies was doing.
    static func act(_ path: CrashCase.Path, in world: RunnerWorld, with runner: RotationRunner) async throws {
        switch path {
        case .rotate, .failingCheck: _ = try await world.rotate(with: runner)
        case .graceEnd: _ = try await world.drive(with: runner, entry: .graceElapsed)
        case .rollbackInGrace: _ = try await world.drive(with: runner, entry: .rollback(reason: "operator request"))
        }
    }
}
