/// Why a supplied value was not taken, besides the value itself being refused (``ValueRefusal``). Never carries it.
public struct SupplyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    private init(_ description: String) { self.description = description }

    /// The secret's source is not one a person supplies values to.
    public static func notManual(secret: String) -> SupplyError {
        SupplyError("\(secret) is not rotated with a supplied value (its source is not `manual`); use `rotor rotate \(secret)`")
    }

    /// No rotation of the secret waits for a value.
    public static func nothingRequested(secret: String) -> SupplyError {
        SupplyError("no rotation of \(secret) is waiting for a value; `rotor rotate \(secret)` asks for one")
    }

    /// The rotation moved on (another supply got there first).
    public static func notWaiting(secret: String, state: RotationState) -> SupplyError {
        SupplyError("the rotation of \(secret) is no longer waiting for a value (it is \(state.rawValue)); "
                    + "this value was not used: `rotor status \(secret)`")
    }

    /// The supply link was used by another request a moment ago.
    public static let linkUsed = SupplyError("this supply link was used a moment ago; see `rotor status` for the rotation")

    /// The value read was empty or too long to be a key.
    public static func unreadable(_ why: String) -> SupplyError { SupplyError(why) }
}
