import Foundation

/// A rotation that failed or rolled back, and when the secret next got a new value live (its recovery).
public struct FailureFinding: Sendable, Equatable {
    public var subject: String
    public var rotationID: String?
    public var failedAt: Date
    /// `failed` or `rolled_back`.
    public var outcome: String
    /// Why, as the rotation recorded it (never a secret value).
    public var reason: String?
    public var recoveredAt: Date?
    public var recoveryRotationID: String?
    public var auditIDs: [Int64]

    /// Seconds from the failure to the next value live; nil while not recovered.
    public var timeToRecoverySeconds: Double? { recoveredAt.map { $0.timeIntervalSince(failedAt) } }
}
