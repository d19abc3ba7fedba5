import Foundation
import RotorCore

extension PeriodReportBuilder {
    /// One secret against its maximum age: its value's age is followed from the activation before the period
    /// (the newest promotion or import) through every promotion within it; a rolled-back promotion gives the
    /// previous value back its age.
    func secretFinding(_ subject: Subject, rows: [AuditEvent], _ tx: any StoreTransaction,
                       _ evidence: inout ReportEvidence) throws -> AgeFinding {
        let end = period.end(now: now)
        var activations: [(at: Date, id: Int64?)] = []
        if let baseline = try tx.latestAuditEvent(subject: subject.name, before: period.from, actions: Self.activationActions) {
            activations.append((baseline.at, evidence.cite(baseline)))
        }
        var rotations = 0
        var undone: [Int64] = []
        for row in rows {
            if Self.activationActions.contains(row.action) {
                activations.append((row.at, evidence.cite(row)))
                if row.action == "step.promote" { rotations += 1 }
            } else if row.action == "step.undo.promote", activations.count > 1 {
                undone += [evidence.cite(row)].compactMap { $0 }
                activations.removeLast()
                rotations -= 1
            }
        }
        if activations.isEmpty, let current = try tx.version(secretName: subject.name, label: .current),
           SecretSchedule.cycleStart(of: current) < end {
            // A value from before the audit log knew it: its own activation time, with no row to cite.
            activations.append((SecretSchedule.cycleStart(of: current), nil))
        }
        guard let last = activations.last else {
            return AgeFinding(subject: subject.name, kind: "secret", status: .notImported, maxAgeDays: Self.days(subject.maxAge))
        }
        var longest: TimeInterval = 0
        var overdueSince: Date?
        var overdue: TimeInterval = 0
        for (index, activation) in activations.enumerated() {
            let intervalEnd = min(index + 1 < activations.count ? activations[index + 1].at : end, end)
            guard intervalEnd > period.from else { continue }
            longest = max(longest, intervalEnd.timeIntervalSince(activation.at))
            let overdueStart = max(activation.at.addingTimeInterval(subject.maxAge), period.from)
            if overdueStart < intervalEnd {
                overdue += intervalEnd.timeIntervalSince(overdueStart)
                overdueSince = overdueSince ?? overdueStart
            }
        }
        return AgeFinding(subject: subject.name, kind: "secret", status: overdueSince == nil ? .ok : .exception,
                          maxAgeDays: Self.days(subject.maxAge), longestAgeDays: Self.days(longest),
                          ageAtEndDays: Self.days(end.timeIntervalSince(last.at)), rotations: max(0, rotations),
                          overdueSince: overdueSince, overdueDays: Self.days(overdue),
                          auditIDs: (activations.compactMap(\.id) + undone).sorted())
    }
}
