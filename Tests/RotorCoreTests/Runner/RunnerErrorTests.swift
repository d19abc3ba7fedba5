import Foundation
import RotorCore
import Testing

/// `RunnerError` is matched by code; its description is for people and its debug description for logs.
@Suite("Runner errors")
struct RunnerErrorTests {
    @Test func leaseHeldNamesTheHolderAndWhenItsLeaseEnds() {
        let error = RunnerError.leaseHeld(rotationID: "rot_1", owner: "host:42:abc", until: Date(timeIntervalSince1970: 1_900_000_000))
        #expect(error.code == .leaseHeld)
        #expect(error.rotationID == "rot_1")
        #expect(error.leaseOwner == "host:42:abc")
        #expect(error.description == "rotation rot_1 is being worked on by host:42:abc (lease until 2030-03-17T17:46:40Z); "
            + "if that process died, the lease expires on its own and the next `rotor tick` takes it over")
        #expect(error.debugDescription == "RunnerError.leaseHeld(rotation: rot_1, owner: host:42:abc, until: 2030-03-17T17:46:40Z)")
    }

    @Test func anActiveRotationInGraceSaysWhenItCompletes() {
        let error = RunnerError.rotationActive(secret: "app-token", rotationID: "rot_2", state: .grace)
        #expect(error.code == .rotationActive)
        #expect(error.secret == "app-token" && error.state == .grace && error.leaseOwner == nil)
        #expect(error.description == "app-token is in the grace period of rotation rot_2; it completes at the next `rotor tick` "
            + "after the grace end (or roll it back with `rotor rollback app-token --reason …`)")
    }

    @Test func errorsCompareByEveryField() {
        #expect(RunnerError.unknownRotation("rot_1") == .unknownRotation("rot_1"))
        #expect(RunnerError.unknownRotation("rot_1") != .missingPlan("rot_1"))
        #expect(RunnerError.cannotRollBack(rotationID: "rot_1", state: .revoking)
            != .cannotRollBack(rotationID: "rot_1", state: .completed))
        #expect(RunnerError.missingVersion("new", "rot_1").description
            == "rotation rot_1 has no new version recorded; its journal and the store disagree")
    }

    @Test func rotorFaultStillExitsTheProcess() {
        #expect(FaultPlan(environment: ["ROTOR_FAULT": "crash-after-effect:undo:propagate:1"])
            == FaultPlan(point: .crashAfterEffect, step: "undo:propagate:1", crash: .exitProcess))
        #expect(FaultPlan(environment: ["ROTOR_FAULT": "crash-after:nothing"]) == nil)
    }
}
