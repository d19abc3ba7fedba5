import Foundation
import RotorCore

/// Builds a ``PeriodReport`` from the store in one transaction: the audit rows of the period (one range scan of
/// the time index), a few per-subject look-ups on the subject index, and index-backed counts of customer keys.
/// Rows written under a time-travelling clock (`--now` rehearsals) are left out: the report is what happened.
public struct PeriodReportBuilder: Sendable {
    /// A managed secret and its maximum age.
    public struct Subject: Sendable, Equatable {
        public var name: String
        public var maxAge: TimeInterval

        public init(name: String, maxAge: TimeInterval) {
            self.name = name
            self.maxAge = maxAge
        }
    }

    /// The audit actions the report reads within the period.
    static let periodActions = [
        "step.promote", "step.undo.promote", "secret.imported", "secret.skipped", "secret.skipped.override-compliance",
        "rotation.started", "rotation.completed", "rotation.failed", "rotation.rolled_back",
    ]
    /// What makes a secret's value new: its age starts again there.
    static let activationActions = ["step.promote", "secret.imported"]

    public var period: ReportPeriod
    public var now: Date
    public var secrets: [Subject]
    /// The customer keys' maximum age; nil when the store has no key table.
    public var keyMaxAge: TimeInterval?
    /// How many customer key exceptions are listed one by one (all are counted).
    public var keyListLimit: Int
    /// At most this many audit rows are read for the period.
    public var rowLimit: Int

    public init(period: ReportPeriod, now: Date, secrets: [Subject], keyMaxAge: TimeInterval?, keyListLimit: Int = 500,
                rowLimit: Int = 1_000_000) {
        self.period = period
        self.now = now
        self.secrets = secrets
        self.keyMaxAge = keyMaxAge
        self.keyListLimit = keyListLimit
        self.rowLimit = rowLimit
    }

    /// The subjects of every managed secret of `playbooks` (the key table is reported from its own policy).
    public static func subjects(of playbooks: [Playbook]) -> [Subject] {
        playbooks.filter { !$0.isKeyTable }.map { Subject(name: $0.secret, maxAge: $0.policy.maxAge.timeInterval) }
            .sorted { $0.name < $1.name }
    }

    public func build(store: any Store, chainVerification: ReportChainStatus? = nil) async throws -> PeriodReport {
        try await store.transaction { tx in try build(tx, chainVerification: chainVerification) }
    }

    /// The report, inside the caller's transaction.
    public func build(_ tx: any StoreTransaction, chainVerification: ReportChainStatus? = nil) throws -> PeriodReport {
        let end = period.end(now: now)
        let rows = try tx.auditEvents(since: period.from, until: end, actions: Self.periodActions, limit: rowLimit)
            .filter { !$0.simulatedNow }
        var evidence = ReportEvidence()
        let bySubject = Dictionary(grouping: rows, by: \.subject)
        var ages = try secrets.map { try secretFinding($0, rows: bySubject[$0.name] ?? [], tx, &evidence) }
        var coverage = ReportCoverage(secretsCounted: ages.filter { $0.status != .notImported }.count,
                                      secretsWithin: ages.filter { $0.status == .ok }.count)
        var keys = KeyFindings()
        if let keyMaxAge { keys = try keyFindings(maxAge: keyMaxAge, tx, &evidence) }
        ages += keys.listed
        coverage.keysCounted = keys.counted
        coverage.keysWithin = max(0, keys.counted - keys.exceptions)
        let skips = skipFindings(rows, &evidence)
        let emergencies = try emergencyFindings(rows, tx, &evidence) + keys.emergencies
        let failures = try failureFindings(rows, tx, &evidence)
        return PeriodReport(period: period, generatedAt: now, ages: ages,
                            unlistedKeyExceptions: max(0, keys.exceptions - keys.listed.count),
                            keyMaxAgeDays: keyMaxAge.map { $0 / 86400 }, skips: skips,
                            emergencies: emergencies.sorted { $0.triggeredAt < $1.triggeredAt }, failures: failures,
                            coverage: coverage, months: months(rows, end: end), keyAges: keys.histogram,
                            evidence: evidence.rows, chainVerification: chainVerification)
    }

    /// Days, to a tenth.
    static func days(_ seconds: TimeInterval) -> Double { (seconds / 8640).rounded() / 10 }
}
