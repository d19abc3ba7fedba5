import Foundation
import RotorCore

/// The report as one CSV table (RFC 4180, formula-safe like the audit export): one row per figure or finding,
/// under the same header, so a spreadsheet can filter by control. `audit_ids` lists the audit rows a row rests on
/// (space-separated ids, as `rotor audit export` numbers them).
public enum ReportCSV {
    public static let columns = ["control", "subject", "kind", "status", "at", "actor", "reason", "value", "unit", "detail", "audit_ids"]

    public static func render(_ report: PeriodReport) -> String {
        var rows: [[String]] = []
        func add(_ control: String, subject: String = "", kind: String = "", status: String = "", at: Date? = nil, actor: String = "",
                 reason: String? = nil, value: String = "", unit: String = "", detail: String? = nil, ids: [Int64] = []) {
            rows.append([control, subject, kind, status, at.map(ISO8601.string) ?? "", actor, reason ?? "", value, unit, detail ?? "",
                         ids.map(String.init).joined(separator: " ")])
        }
        let period = "\(ISO8601.string(report.period.from)) to \(ISO8601.string(report.period.to))"
        add("period", value: period, detail: "generated \(ISO8601.string(report.generatedAt))")
        add("coverage", kind: "all", value: number(report.coverage.percent), unit: "%",
            detail: "\(report.coverage.secretsWithin + report.coverage.keysWithin) of \(report.coverage.secretsCounted + report.coverage.keysCounted)")
        add("coverage", kind: "secret", value: number(report.coverage.secretsPercent), unit: "%",
            detail: "\(report.coverage.secretsWithin) of \(report.coverage.secretsCounted)")
        add("coverage", kind: "api_key", value: number(report.coverage.keysPercent), unit: "%",
            detail: "\(report.coverage.keysWithin) of \(report.coverage.keysCounted)")
        for age in report.ages {
            add("max_age", subject: age.subject, kind: age.kind, status: age.status.rawValue, at: age.overdueSince,
                value: age.longestAgeDays.map(number) ?? "", unit: "days",
                detail: "max \(number(age.maxAgeDays))d; \(age.rotations) rotation(s); over max for \(number(age.overdueDays))d",
                ids: age.auditIDs)
        }
        if report.unlistedKeyExceptions > 0 {
            add("max_age", kind: "api_key", status: "exception", value: String(report.unlistedKeyExceptions), unit: "keys",
                detail: "further customer keys past their maximum age, not listed")
        }
        for skip in report.skips {
            add("skip", subject: skip.subject, kind: "secret", status: skip.overrideCompliance ? "override_compliance" : skip.outcome,
                at: skip.at, actor: skip.actor, reason: skip.reason, detail: skip.detail, ids: skip.auditID.map { [$0] } ?? [])
        }
        for emergency in report.emergencies {
            add("emergency", subject: emergency.subject, kind: emergency.kind, status: emergency.outcome, at: emergency.triggeredAt,
                actor: emergency.actor, reason: emergency.reason, value: emergency.triggerToLiveSeconds.map(number) ?? "",
                unit: "seconds_to_live", detail: emergency.rotationID, ids: emergency.auditIDs)
        }
        for failure in report.failures {
            add("failure", subject: failure.subject, kind: "secret", status: failure.recoveredAt == nil ? "not_recovered" : "recovered",
                at: failure.failedAt, reason: failure.reason, value: failure.timeToRecoverySeconds.map(number) ?? "",
                unit: "seconds_to_recovery", detail: "\(failure.outcome) \(failure.rotationID ?? "")", ids: failure.auditIDs)
        }
        let chain = report.chainVerification
        add("audit_chain", status: chain.map { $0.intact ? "intact" : "broken" } ?? "not_verified",
            value: chain.map { String($0.rows) } ?? "", unit: chain == nil ? "" : "rows", detail: ReportChainStatus.summary(chain),
            ids: chain?.firstBadRow.map { [$0] } ?? [])
        return ([columns] + rows).map { $0.map(AuditExport.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A figure without needless decimals: `12`, `12.5`.
    public static func number(_ value: Double) -> String { FigureText.number(value) }
}
