/// Why an approval was not taken. Its text says what to do next.
public struct ApprovalError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    private init(_ description: String) { self.description = description }

    /// No rotation of the secret waits for an approval.
    public static func nothingToApprove(secret: String) -> ApprovalError {
        ApprovalError("no rotation of \(secret) is waiting for an approval; `rotor status \(secret)` shows where it stands")
    }

    /// The rotation moved on (another approval got there first, or it was cancelled).
    public static func notWaiting(secret: String, state: RotationState?) -> ApprovalError {
        ApprovalError("the rotation of \(secret) is no longer waiting for an approval (it is \(state?.rawValue ?? "gone")); "
                      + "see `rotor status \(secret)`")
    }

    /// The approval was for a rotation or stage other than the one waiting (an old link).
    public static func otherRotation(secret: String) -> ApprovalError {
        ApprovalError("this approval is for a rotation or stage of \(secret) that no longer waits; see `rotor status \(secret)`")
    }

    /// The approval link was used by another request a moment ago.
    public static let linkUsed = ApprovalError("this approval link was used a moment ago; see `rotor status` for the rotation")
}
