import Foundation

/// Why the runner could not drive a rotation. Messages name the rotation and what to do next.
public enum RunnerError: Error, CustomStringConvertible, Equatable {
    case unknownRotation(String)
    case leaseHeld(rotationID: String, owner: String, until: Date?)
    case leaseLost(rotationID: String, owner: String)
    case missingPlan(String)
    case playbookChanged(secret: String, rotationID: String, planned: String, now: String)
    case cannotRollBack(rotationID: String, state: RotationState)
    case missingVersion(String, String)
    case rotationActive(secret: String, rotationID: String, state: RotationState)

    public var description: String {
        switch self {
        case .unknownRotation(let id):
            "no rotation \(id) in the store"
        case .leaseHeld(let id, let owner, let until):
            "rotation \(id) is being worked on by \(owner)\(until.map { " (lease until \(ISO8601.string($0)))" } ?? ""); "
                + "if that process died, the lease expires on its own and the next `rotor tick` takes it over"
        case .leaseLost(let id, let owner):
            "lost the lease on rotation \(id) to \(owner); stopped so that two processes never act on one rotation"
        case .missingPlan(let id):
            "rotation \(id) has no plan in its journal; it was not started by this version of rotor"
        case .playbookChanged(let secret, let id, let planned, let now):
            "the playbook of \(secret) changed while rotation \(id) was in progress (planned \(planned), now \(now)); "
                + "restore the playbook as it was until the rotation finishes, or roll it back with `rotor rollback \(secret)`"
        case .cannotRollBack(let id, let state):
            "rotation \(id) is \(state.rawValue): too late to roll back (the old credential's revocation has begun or it already ended)"
        case .rotationActive(let secret, let id, let state):
            state == .grace
                ? "\(secret) is in the grace period of rotation \(id); it completes at the next `rotor tick` after the grace end "
                    + "(or roll it back with `rotor rollback \(secret) --reason …`)"
                : "\(secret) already has an active rotation \(id) (\(state.rawValue)); wait for it, or see `rotor status \(secret)`"
        case .missingVersion(let which, let id):
            "rotation \(id) has no \(which) version recorded; its journal and the store disagree"
        }
    }
}
