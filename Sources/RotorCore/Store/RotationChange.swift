import Foundation

/// The columns of a rotation one fenced write sets; nil leaves a column as it is. The runner names only what
/// it changes, so two writers never put back each other's columns (no lost update).
public struct RotationChange: Sendable, Equatable {
    /// The lease a changed rotation keeps or gives up.
    public enum Lease: Sendable, Equatable {
        /// Renewed until the date.
        case renew(until: Date)
        /// Given up: nobody works on the rotation (grace, finished, or an abort that leaves it resumable).
        case release
    }

    public var state: RotationState?
    /// Set to the reason, or cleared with `.some(nil)`.
    public var error: String??
    public var newVersionID: String?
    public var graceEndsAt: Date?
    public var lease: Lease?
    public var updatedAt: Date?
    public var completedAt: Date?

    public init(state: RotationState? = nil, error: String?? = nil, newVersionID: String? = nil, graceEndsAt: Date? = nil,
                lease: Lease? = nil, updatedAt: Date? = nil, completedAt: Date? = nil) {
        self.state = state
        self.error = error
        self.newVersionID = newVersionID
        self.graceEndsAt = graceEndsAt
        self.lease = lease
        self.updatedAt = updatedAt
        self.completedAt = completedAt
    }
}
