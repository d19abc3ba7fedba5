import Foundation
import Testing
@testable import RotorCore

@Suite("Rotation state machine: waiting for a supplied value")
struct RotationMachineAwaitValueTests {
    typealias M = RotationMachine

    @Test func aManualRotationWaitsAndMintsNothingUntilAValueIsSupplied() {
        var m = M(plan: .init(targets: 1, checks: 1, awaitsValue: true))
        #expect(m.state == .awaitingValue)
        #expect(m.start() == [.awaitValue])
        #expect(m.resume() == [.awaitValue], "resuming a waiting rotation only waits again")
        #expect(m.steps.isEmpty)
        let (actions, launched) = RotationMachineTests.drive(&m, first: m.valueSupplied())
        #expect(launched == [.generate, .propagate(0), .verify(0), .promote])
        #expect(actions.last == .awaitGrace)
        #expect(m.state == .grace)
    }

    @Test func aSupplyOutsideTheWaitChangesNothing() {
        var m = M(plan: .init(targets: 1, checks: 0))
        _ = RotationMachineTests.drive(&m, first: m.start())
        #expect(m.state == .grace)
        #expect(m.valueSupplied() == [.awaitGrace])
        #expect(m.state == .grace)
    }

    @Test func cancellingAWaitingRotationRollsBackWithNothingToUndo() {
        var m = M(plan: .init(targets: 2, checks: 1, awaitsValue: true))
        _ = m.start()
        let actions = m.rollback(reason: "operator")
        #expect(actions == [.finished(.rolledBack)])
        #expect(m.state == .rolledBack)
    }

    @Test func aRebuiltWaitingRotationKeepsWaiting() {
        var m = M(plan: .init(targets: 1, checks: 1), state: .awaitingValue, failureReason: nil, journal: [])
        #expect(m.resume() == [.awaitValue])
        #expect(m.valueSupplied() == [.run([.generate])])
    }
}
