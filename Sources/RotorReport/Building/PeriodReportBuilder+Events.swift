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

    /// Finished rotations per calendar month (UTC) of the period, by outcome; months with none included.
    func months(_ rows: [AuditEvent], end: Date) -> [PeriodReport.Month] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let key = { (date: Date) -> String in
            let parts = calendar.dateComponents([.year, .month], from: date)
            return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
        }
        var months: [PeriodReport.Month] = []
        var index: [String: Int] = [:]
        var cursor = calendar.date(from: calendar.dateComponents([.year, .month], from: period.from)) ?? period.from
        // Bounded: a century of months is more than any plot can show.
        while cursor < end, months.count < 1200 {
            index[key(cursor)] = months.count
            months.append(PeriodReport.Month(month: key(cursor), completed: 0, failed: 0, rolledBack: 0))
            guard let next = calendar.date(byAdding: .month, value: 1, to: cursor) else { break }
            cursor = next
        }
        for row in rows {
            guard let at = index[key(row.at)] else { continue }
            switch row.action {
            case "rotation.completed": months[at].completed += 1
            case "rotation.failed": months[at].failed += 1
            case "rotation.rolled_back": months[at].rolledBack += 1
            default: break
            }
        }
        return months
    }
}
