/// Why `rotor resolve` or an emergency cannot do what was asked, with what to do instead.
public struct RecoveryError: Error, CustomStringConvertible, Equatable {
    public enum Code: Sendable, Equatable {
        case nothingToResolve
        case notImported
        case leaseHeld
        case stillStalled
    }

    public let code: Code
    public let description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    static func nothingToResolve(secret: String, rotationID: String?, state: RotationState?) -> RecoveryError {
        guard let rotationID, let state else {
            return .init(.nothingToResolve, "\(secret) has no stuck rotation to resolve (see `rotor status \(secret)`)")
        }
        return .init(.nothingToResolve, "rotation \(rotationID) of \(secret) is \(state.rawValue), not stalled in revoking; "
                     + "--revoked-manually only closes a revoke that keeps failing (see `rotor status \(secret)`)")
    }

    static func notImported(secret: String) -> RecoveryError {
        .init(.notImported, "Rotor has no current value of \(secret), so an emergency rotation would leave the leaked value valid; "
              + "adopt the value in use first: `printenv VAR | rotor import \(secret) --handle ID`, then run the emergency again")
    }

    static func leaseHeld(secret: String, rotationID: String, owner: String) -> RecoveryError {
        .init(.leaseHeld, "rotation \(rotationID) of \(secret) is being driven by \(owner), a live process; "
              + "stop it (or wait until its lease expires) and try again")
    }

    static func stillStalled(secret: String, rotationID: String, reason: String?) -> RecoveryError {
        .init(.stillStalled, "the old value of \(secret) could not be revoked (rotation \(rotationID): \(reason ?? "revoke failed")); "
              + "revoke it at the vendor by hand, then `rotor resolve \(secret) --revoked-manually --reason …`")
    }
}
