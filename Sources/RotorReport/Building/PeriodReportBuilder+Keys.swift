import Foundation
import RotorCore

extension PeriodReportBuilder {
    /// The customer keys against their maximum age: keys still active past it (an index-backed count and a capped
    /// list), keys rotated only after they had passed it (from the `key.rotated` rows since the period began,
    /// each followed to its predecessor by primary key), and the age histogram of the active keys.
    func keyFindings(maxAge: TimeInterval, _ tx: any StoreTransaction, _ evidence: inout ReportEvidence) throws -> KeyFindings {
        let end = period.end(now: now)
        let cutoff = end.addingTimeInterval(-maxAge)
        var found = KeyFindings()
        found.exceptions = try tx.countAPIKeys(status: .active, createdBefore: cutoff)
        found.counted = try tx.countAPIKeys(status: .active, createdBefore: end)
        for key in try tx.activeAPIKeys(createdBefore: cutoff, limit: keyListLimit) {
            let created = try tx.latestAuditEvent(subject: key.id, before: end, actions: ["key.created", "key.imported", "key.rotated"])
            let since = max(key.createdAt.addingTimeInterval(maxAge), period.from)
            found.listed.append(AgeFinding(subject: key.id, kind: "api_key", status: .exception, maxAgeDays: Self.days(maxAge),
                                           longestAgeDays: Self.days(end.timeIntervalSince(key.createdAt)),
                                           ageAtEndDays: Self.days(end.timeIntervalSince(key.createdAt)), overdueSince: since,
                                           overdueDays: Self.days(end.timeIntervalSince(since)),
                                           auditIDs: [evidence.cite(created)].compactMap { $0 }))
        }
        let rotated = try tx.auditEvents(since: period.from, until: max(now, period.from).addingTimeInterval(0.001),
                                         actions: ["key.rotated"], limit: rowLimit).filter { !$0.simulatedNow }
        for row in rotated {
            guard let new = try tx.apiKey(id: row.subject), let oldID = new.rotatedFrom, let old = try tx.apiKey(id: oldID),
                  old.createdAt < end else { continue }
            found.counted += 1
            if row.trigger == RotationTrigger.emergency.rawValue, row.at < end {
                found.emergencies.append(EmergencyFinding(subject: old.id, kind: "api_key", rotationID: nil, triggeredAt: row.at,
                                                          actor: row.actor, reason: row.reason, liveAt: row.at,
                                                          outcome: "rotated", auditIDs: [evidence.cite(row)].compactMap { $0 }))
            }
            let since = max(old.createdAt.addingTimeInterval(maxAge), period.from)
            let until = min(row.at, end)
            guard since < until else { continue }
            found.exceptions += 1
            guard found.listed.count < keyListLimit else { continue }
            found.listed.append(AgeFinding(subject: old.id, kind: "api_key", status: .exception, maxAgeDays: Self.days(maxAge),
                                           longestAgeDays: Self.days(until.timeIntervalSince(old.createdAt)),
                                           rotations: 1, overdueSince: since, overdueDays: Self.days(until.timeIntervalSince(since)),
                                           auditIDs: [evidence.cite(row)].compactMap { $0 }))
        }
        found.histogram = try keyHistogram(maxAge: maxAge, end: end, tx)
        return found
    }

    /// Active keys by age at the end of the period, in quarters of the maximum age and past it: each bucket is
    /// the difference of two index-backed counts.
    func keyHistogram(maxAge: TimeInterval, end: Date, _ tx: any APIKeysTransaction) throws -> [PeriodReport.KeyAgeBucket] {
        try Self.keyAgeHistogram(maxAge: maxAge, at: end, tx)
    }

    /// Active customer keys by age at `end` in quarters of `maxAge`, then those past it: five indexed counts, whatever
    /// the number of keys (the report's and the dashboard's histogram).
    public static func keyAgeHistogram(maxAge: TimeInterval, at end: Date, _ tx: any APIKeysTransaction) throws -> [PeriodReport.KeyAgeBucket] {
        let edges = (0...4).map { end.addingTimeInterval(-maxAge * Double($0) / 4) }
        let counts = try edges.map { try tx.countAPIKeys(status: .active, createdBefore: $0) }
        let day = { (quarter: Int) in Int((maxAge * Double(quarter) / 4 / 86400).rounded()) }
        var buckets = (0..<4).map { quarter in
            PeriodReport.KeyAgeBucket(label: "\(day(quarter))–\(day(quarter + 1))d", count: counts[quarter] - counts[quarter + 1],
                                      overdue: false)
        }
        buckets.append(PeriodReport.KeyAgeBucket(label: "> \(day(4))d", count: counts[4], overdue: true))
        return buckets
    }
}
