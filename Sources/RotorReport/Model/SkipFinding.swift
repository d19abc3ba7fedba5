import Foundation

/// A skipped (postponed) rotation, or a compliance override that postponed it past its maximum age.
public struct SkipFinding: Sendable, Equatable {
    public var at: Date
    public var subject: String
    public var actor: String
    public var reason: String?
    /// True for `--override-compliance`: postponed past the maximum age.
    public var overrideCompliance: Bool
    /// What the skip did (`succeeded`, or `capped` at the compliance limit) and the dates, as audited.
    public var outcome: String
    public var detail: String?
    public var auditID: Int64?
}
