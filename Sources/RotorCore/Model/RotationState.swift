/// Where a rotation is in its pipeline. Raw values are what the database stores.
///
/// A rotation is created in `generating` (in `awaiting_value` when a person supplies the value) and every state here is one the ``RotationMachine`` enters. (Schema
/// version 1 also accepts `scheduled` and `skipped`, which nothing ever entered; they were removed so that no
/// state can hold a secret's one active rotation without a runner able to drive it out; see the store's `SchemaV1`.)
public enum RotationState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for a person to supply the new value (a `manual` source): nothing has been minted or written yet.
    case awaitingValue = "awaiting_value"
    /// Waiting for a person to approve the next stage of a staged playbook (`approve: true`): earlier stages hold
    /// the new value, the old one is untouched and valid.
    case awaitingApproval = "awaiting_approval"
    case generating
    case propagating
    case verifying
    case grace
    case revoking
    case completed
    case rollingBack = "rolling_back"
    case rolledBack = "rolled_back"
    case failed

    /// True while the rotation still holds its secret: at most one active rotation may exist per secret.
    public var isActive: Bool {
        switch self {
        case .completed, .rolledBack, .failed: false
        case .awaitingValue, .awaitingApproval, .generating, .propagating, .verifying, .grace, .revoking, .rollingBack: true
        }
    }

    /// Waiting for a person (a value or an approval): no process works on it, and no lease is held.
    public var waitsForPerson: Bool { self == .awaitingValue || self == .awaitingApproval }

    /// Every state in which a rotation is active, in pipeline order.
    public static var activeStates: [RotationState] { allCases.filter(\.isActive) }
}
