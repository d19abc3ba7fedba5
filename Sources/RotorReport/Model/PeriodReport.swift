import Foundation
import RotorCore

/// The compliance report over a period: per control, the figures, the exceptions and the audit rows each claim
/// rests on (``evidence``), with the result of the audit chain verification. Rendered by ``ReportHTML`` and
/// ``ReportCSV``; built by ``PeriodReportBuilder``.
public struct PeriodReport: Sendable, Equatable {
    /// Rotations of one month, by outcome, for the rotations-per-month plot.
    public struct Month: Sendable, Equatable {
        /// `2026-03`.
        public var month: String
        public var completed: Int
        public var failed: Int
        public var rolledBack: Int
    }

    /// Active customer keys in one age bucket at the end of the period, for the key age histogram.
    public struct KeyAgeBucket: Sendable, Equatable {
        public var label: String
        public var count: Int
        /// Past the maximum age.
        public var overdue: Bool
    }

    public var period: ReportPeriod
    public var generatedAt: Date
    /// Every managed secret, oldest-first by name, then the customer keys that were exceptions.
    public var ages: [AgeFinding]
    /// Customer key exceptions beyond those listed in ``ages`` (the list is capped; the count is not).
    public var unlistedKeyExceptions: Int
    public var keyMaxAgeDays: Double?
    public var skips: [SkipFinding]
    public var emergencies: [EmergencyFinding]
    public var failures: [FailureFinding]
    public var coverage: ReportCoverage
    public var months: [Month]
    public var keyAges: [KeyAgeBucket]
    /// The audit rows cited anywhere in the report, by id: the appendix.
    public var evidence: [AuditEvent]
    /// Set by whoever verified the audit chain; nil prints "not verified".
    public var chainVerification: ReportChainStatus?

    /// The exceptions to "rotated within max age".
    public var ageExceptions: [AgeFinding] { ages.filter { $0.status == .exception } }
}
