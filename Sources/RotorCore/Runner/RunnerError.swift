import Foundation

/// Why the runner could not drive a rotation. Messages name the rotation and what to do next.
///
/// A struct over a private enum, so new cases do not break callers: match with ``code``, or compare with `==`.
public struct RunnerError: Error, CustomStringConvertible, CustomDebugStringConvertible, Equatable {
    /// The kind of failure, for matching.
    public enum Code: String, Sendable, Equatable {
        case unknownRotation
        case leaseHeld
        case leaseLost
        case missingPlan
        case playbookChanged
        case cannotRollBack
        case missingVersion
        case rotationActive
    }

    private enum Kind: Equatable {
        case unknownRotation(String)
        case leaseHeld(rotationID: String, owner: String, until: Date?)
        case leaseLost(rotationID: String, owner: String)
        case missingPlan(String)
        case playbookChanged(secret: String, rotationID: String, planned: String, now: String)
        case cannotRollBack(rotationID: String, state: RotationState)
        case missingVersion(String, String)
        case rotationActive(secret: String, rotationID: String, state: RotationState)
    }

    private let kind: Kind

    private init(_ kind: Kind) { self.kind = kind }

    /// The store has no rotation `rotationID`.
    public static func unknownRotation(_ rotationID: String) -> RunnerError { .init(.unknownRotation(rotationID)) }
    /// Another process (`owner`) holds the rotation's lease until `until`.
    public static func leaseHeld(rotationID: String, owner: String, until: Date?) -> RunnerError {
        .init(.leaseHeld(rotationID: rotationID, owner: owner, until: until))
    }
    /// While this runner worked, `owner` took the rotation's lease over; this runner stopped.
    public static func leaseLost(rotationID: String, owner: String) -> RunnerError {
        .init(.leaseLost(rotationID: rotationID, owner: owner))
    }
    /// The rotation's journal has no plan entry to resume from.
    public static func missingPlan(_ rotationID: String) -> RunnerError { .init(.missingPlan(rotationID)) }
    /// The playbook's targets or checks no longer match what the rotation planned (`planned`, `now`: counts in words).
    public static func playbookChanged(secret: String, rotationID: String, planned: String, now: String) -> RunnerError {
        .init(.playbookChanged(secret: secret, rotationID: rotationID, planned: planned, now: now))
    }
    /// A rollback was asked for a rotation in `state`, past the point of no return.
    public static func cannotRollBack(rotationID: String, state: RotationState) -> RunnerError {
        .init(.cannotRollBack(rotationID: rotationID, state: state))
    }
    /// The rotation has no `which` (`new` or `old`) version although its journal says it should.
    public static func missingVersion(_ which: String, _ rotationID: String) -> RunnerError {
        .init(.missingVersion(which, rotationID))
    }
    /// `secret` already has an active rotation `rotationID`, in `state`.
    public static func rotationActive(secret: String, rotationID: String, state: RotationState) -> RunnerError {
        .init(.rotationActive(secret: secret, rotationID: rotationID, state: state))
    }

    /// The kind of failure.
    public var code: Code {
        switch kind {
        case .unknownRotation: .unknownRotation
        case .leaseHeld: .leaseHeld
        case .leaseLost: .leaseLost
        case .missingPlan: .missingPlan
        case .playbookChanged: .playbookChanged
        case .cannotRollBack: .cannotRollBack
        case .missingVersion: .missingVersion
        case .rotationActive: .rotationActive
        }
    }

    /// The rotation the error is about (every kind names one).
    public var rotationID: String {
        switch kind {
        case .unknownRotation(let id), .missingPlan(let id), .missingVersion(_, let id): id
        case .leaseHeld(let id, _, _), .leaseLost(let id, _), .cannotRollBack(let id, _): id
        case .playbookChanged(_, let id, _, _), .rotationActive(_, let id, _): id
        }
    }

    /// For ``Code/playbookChanged`` and ``Code/rotationActive``: the secret.
    public var secret: String? {
        switch kind {
        case .playbookChanged(let secret, _, _, _), .rotationActive(let secret, _, _): secret
        default: nil
        }
    }

    /// For ``Code/cannotRollBack`` and ``Code/rotationActive``: the state the rotation is in.
    public var state: RotationState? {
        switch kind {
        case .cannotRollBack(_, let state), .rotationActive(_, _, let state): state
        default: nil
        }
    }

    /// For ``Code/leaseHeld`` and ``Code/leaseLost``: the process that holds the lease.
    public var leaseOwner: String? {
        switch kind {
        case .leaseHeld(_, let owner, _), .leaseLost(_, let owner): owner
        default: nil
        }
    }

    public var description: String {
        switch kind {
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

    /// The code and every field, for logs (no field ever holds a secret value).
    public var debugDescription: String {
        var fields = ["rotation: \(rotationID)"]
        switch kind {
        case .unknownRotation, .missingPlan:
            break
        case .leaseHeld(_, let owner, let until):
            fields += ["owner: \(owner)", "until: \(until.map(ISO8601.string) ?? "none")"]
        case .leaseLost(_, let owner):
            fields.append("owner: \(owner)")
        case .playbookChanged(let secret, _, let planned, let now):
            fields += ["secret: \(secret)", "planned: \(planned)", "now: \(now)"]
        case .cannotRollBack(_, let state):
            fields.append("state: \(state.rawValue)")
        case .missingVersion(let which, _):
            fields.append("which: \(which)")
        case .rotationActive(let secret, _, let state):
            fields += ["secret: \(secret)", "state: \(state.rawValue)"]
        }
        return "RunnerError.\(code.rawValue)(\(fields.joined(separator: ", ")))"
    }
}
