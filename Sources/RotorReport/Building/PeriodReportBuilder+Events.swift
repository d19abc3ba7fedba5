import Foundation
import RotorCore

extension PeriodReportBuilder {
    /// Skips and compliance overrides, as audited: who, why, and what they did.
    func skipFindings(_ rows: [AuditEvent], _ evidence: inout ReportEvidence) -> [SkipFinding] {
        rows.filter { $0.action.hasPrefix("secret.skipped") }.map { row in
            SkipFinding(at: row.at, subject: row.subject, actor: row.actor, reason: row.reason,
                        overrideCompliance: row.action == "secret.skipped.override-compliance", outcome: row.outcome,
                        detail: row.detail, auditID: evidence.cite(row))
        }
    }

    /// Emergency rotations started in the period, each followed to its promotion (the new value live).
    func emergencyFindings(_ rows: [AuditEvent], _ tx: any StoreTransaction,
                           _ evidence: inout ReportEvidence) throws -> [EmergencyFinding] {
        try rows.filter { $0.action == "rotation.started" && $0.trigger == RotationTrigger.emergency.rawValue }.map { row in
            var live = try tx.earliestAuditEvent(subject: row.subject, since: row.at, actions: ["step.promote"])
            if live?.rotationID != row.rotationID { live = nil }
            let state = try row.rotationID.flatMap { try tx.rotation(id: $0) }?.state.rawValue ?? "unknown"
            return EmergencyFinding(subject: row.subject, kind: "secret", rotationID: row.rotationID, triggeredAt: row.at,
                                    actor: row.actor, reason: row.reason, liveAt: live?.at, outcome: state,
                                    auditIDs: [evidence.cite(row), evidence.cite(live)].compactMap { $0 })
        }
    }

    /// Rotations that failed or rolled back in the period, each with the next promotion of the same secret (its
    /// recovery), looked up on the subject index.
    func failureFindings(_ rows: [AuditEvent], _ tx: any StoreTransaction,
                         _ evidence: inout ReportEvidence) throws -> [FailureFinding] {
        try rows.filter { $0.action == "rotation.failed" || $0.action == "rotation.rolled_back" }.map { row in
            var recovery = try tx.earliestAuditEvent(subject: row.subject, since: row.at, actions: ["step.promote"])
            if let found = recovery, found.rotationID == row.rotationID || found.at > now || found.simulatedNow { recovery = nil }
            return FailureFinding(subject: row.subject, rotationID: row.rotationID, failedAt: row.at, outcome: row.outcome,
                                  reason: row.reason, recoveredAt: recovery?.at, recoveryRotationID: recovery?.rotationID,
                                  auditIDs: [evidence.cite(row), evidence.cite(recovery)].compactMap { $0 })
        }
    }

    /// The audit actions of a finished rotation, by outcome: what a month's column counts.
    static let outcomeActions = ["rotation.completed", "rotation.rolled_back", "rotation.failed"]

    /// Finished rotations per calendar month (UTC) of the period, by outcome; months with none included.
    func months(_ rows: [AuditEvent], end: Date) -> [PeriodReport.Month] {
        // Bounded: a century of months is more than any plot can show.
        var months = ReportMonths.starts(from: period.from, before: end, limit: 1200).map {
            PeriodReport.Month(month: ReportMonths.label($0), completed: 0, failed: 0, rolledBack: 0)
        }
        let index = Dictionary(months.enumerated().map { ($1.month, $0) }, uniquingKeysWith: { first, _ in first })
        for row in rows {
            guard let at = index[ReportMonths.label(row.at)] else { continue }
            months[at].count(row.action, 1)
        }
        return months
    }

    /// Finished rotations by outcome in each of the `count` calendar months (UTC) up to and including the one holding
    /// `now` (rows written under `--now` left out, as in the report): one indexed count over those months, so a page
    /// that shows them (the dashboard's overview) never builds a report and never reads older rows.
    public static func recentMonths(_ count: Int, now: Date, _ tx: any AuditTransaction) throws -> [PeriodReport.Month] {
        let current = ReportMonths.start(of: now)
        guard count > 0, let first = ReportMonths.calendar.date(byAdding: .month, value: 1 - min(count, 1200), to: current),
              let next = ReportMonths.calendar.date(byAdding: .month, value: 1, to: current) else { return [] }
        let starts = ReportMonths.starts(from: first, before: next, limit: 1200)
        let counts = try tx.countAuditEvents(actions: outcomeActions, bounds: starts + [next])
        return zip(starts, counts).map { start, counted in
            var month = PeriodReport.Month(month: ReportMonths.label(start), completed: 0, failed: 0, rolledBack: 0)
            for (action, count) in counted { month.count(action, count) }
            return month
        }
    }
}

extension PeriodReport.Month {
    /// Adds `count` rows of `action` to the column of its outcome (other actions are not outcomes).
    mutating func count(_ action: String, _ count: Int) {
        switch action {
        case "rotation.completed": completed += count
        case "rotation.failed": failed += count
        case "rotation.rolled_back": rolledBack += count
        default: break
        }
    }
}
