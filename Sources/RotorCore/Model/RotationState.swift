/// Where a rotation is in its pipeline. Raw values are what the database stores.
public enum RotationState: String, Sendable, Hashable, Codable, CaseIterable {
    case scheduled
    case generating
    case propagating
    case verifying
    case grace
    case revoking
    case completed
    case rollingBack = "rolling_back"
    case rolledBack = "rolled_back"
    case failed
    case skipped

    /// True while the rotation still holds its secret: at most one active rotation may exist per secret.
    public var isActive: Bool {
        switch self {
        case .completed, .rolledBack, .failed, .skipped: false
        case .scheduled, .generating, .propagating, .verifying, .grace, .revoking, .rollingBack: true
        }
    }

    /// Every state in which a rotation is active, in pipeline order.
    public static var activeStates: [RotationState] { allCases.filter(\.isActive) }
}
