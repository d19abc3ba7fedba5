import Foundation

/// One subject (a managed secret, or a customer key that is an exception) against its maximum age over the period.
public struct AgeFinding: Sendable, Equatable {
    /// `ok`: within its maximum age throughout; `exception`: past it for part of the period; `not_imported`: no
    /// value to judge.
    public enum Status: String, Sendable, Equatable {
        case ok, exception
        case notImported = "not_imported"
    }

    public var subject: String
    /// `secret` or `api_key`.
    public var kind: String
    public var status: Status
    public var maxAgeDays: Double
    /// The oldest the value got within the period.
    public var longestAgeDays: Double?
    /// Its age at the end of the period.
    public var ageAtEndDays: Double?
    /// Rotations that made a new value live within the period.
    public var rotations: Int
    /// When it went past its maximum age (for an exception), and for how long within the period.
    public var overdueSince: Date?
    public var overdueDays: Double
    /// The audit rows the claim rests on.
    public var auditIDs: [Int64]

    public init(subject: String, kind: String, status: Status, maxAgeDays: Double, longestAgeDays: Double? = nil,
                ageAtEndDays: Double? = nil, rotations: Int = 0, overdueSince: Date? = nil, overdueDays: Double = 0,
                auditIDs: [Int64] = []) {
        self.subject = subject
        self.kind = kind
        self.status = status
        self.maxAgeDays = maxAgeDays
        self.longestAgeDays = longestAgeDays
        self.ageAtEndDays = ageAtEndDays
        self.rotations = rotations
        self.overdueSince = overdueSince
        self.overdueDays = overdueDays
        self.auditIDs = auditIDs
    }
}
