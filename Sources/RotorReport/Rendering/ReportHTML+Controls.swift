import Foundation
import RotorCore

extension ReportHTML {
    static func table(_ headers: [String], _ rows: [String], empty: String) -> String {
        guard !rows.isEmpty else { return "<p>\(e(empty))</p>" }
        let head = headers.map { "<th scope=\"col\">\(e($0))</th>" }.joined()
        return "<div class=\"table\"><table><thead><tr>\(head)</tr></thead><tbody>\(rows.joined(separator: "\n"))</tbody></table></div>"
    }

    static func ages(_ report: PeriodReport) -> String {
        let secrets = report.ages.filter { $0.kind == "secret" }
        let rows = secrets.map { age in
            "<tr><td>\(e(age.subject))</td><td class=\"\(age.status == .ok ? "ok" : age.status == .exception ? "exception" : "warn")\">"
                + "\(e(age.status.rawValue))</td><td class=\"num\">\(ReportCSV.number(age.maxAgeDays))d</td>"
                + "<td class=\"num\">\(age.longestAgeDays.map { ReportCSV.number($0) + "d" } ?? "—")</td><td class=\"num\">\(age.rotations)</td>"
                + "<td>\(age.status == .exception ? "since \(time(age.overdueSince)), \(ReportCSV.number(age.overdueDays))d" : "—")</td>"
                + "<td>\(links(age.auditIDs))</td></tr>"
        }
        let exceptions = report.ageExceptions.map { age in
            "<li><b>\(e(age.subject))</b> (\(e(age.kind == "api_key" ? "customer key" : "secret"))): past its maximum age of "
                + "\(ReportCSV.number(age.maxAgeDays))d from \(time(age.overdueSince)) for \(ReportCSV.number(age.overdueDays))d "
                + "within the period · evidence \(links(age.auditIDs))</li>"
        }.joined()
        let unlisted = report.unlistedKeyExceptions > 0
            ? "<li>and \(report.unlistedKeyExceptions) more customer keys (see <code>rotor keys list</code>)</li>" : ""
        let bars = secrets.compactMap { age in age.ageAtEndDays.map { AgePlot.Bar(label: age.subject, ageDays: $0, maxAgeDays: age.maxAgeDays) } }
        let columns = report.months.map {
            RotationsPerMonthPlot.Column(label: $0.month, completed: $0.completed, rolledBack: $0.rolledBack, failed: $0.failed)
        }
        var plots = "<figure>\(AgePlot.svg(bars))<figcaption>Age at the end of the period against maximum age</figcaption></figure>"
        plots += "<figure>\(RotationsPerMonthPlot.svg(columns))<figcaption>Rotations per month by outcome</figcaption></figure>"
        if report.keyMaxAgeDays != nil {
            let buckets = report.keyAges.map { KeyAgeHistogramPlot.Bucket(label: $0.label, count: $0.count, overdue: $0.overdue) }
            plots += "<figure>\(KeyAgeHistogramPlot.svg(buckets))<figcaption>Active customer keys by age</figcaption></figure>"
        }
        return """
            <section aria-labelledby="max-age"><h2 id="max-age">Control 1 · Every secret and customer key rotated within its maximum age</h2>
            <h3>Exceptions</h3>\(exceptions.isEmpty && unlisted.isEmpty ? "<p class=\"ok\">None.</p>" : "<ul>\(exceptions)\(unlisted)</ul>")
            <h3>Managed secrets</h3>
            \(table(["Secret", "Status", "Max age", "Oldest in period", "Rotations", "Past max age", "Audit rows"], rows,
                    empty: "No managed secrets."))
            \(keys(report))
            <div class="plots">\(plots)</div></section>
            """
    }

    static func keys(_ report: PeriodReport) -> String {
        guard let maxAge = report.keyMaxAgeDays else { return "<h3>Customer keys</h3><p>No key table in this store's playbooks.</p>" }
        let c = report.coverage
        return "<h3>Customer keys</h3><p>Maximum age \(ReportCSV.number(maxAge))d: \(c.keysWithin) of \(c.keysCounted) keys within it "
            + "over the period; \(c.keysCounted - c.keysWithin) exceptions (listed above).</p>"
    }

    static func skips(_ skips: [SkipFinding]) -> String {
        let rows = skips.map { skip in
            "<tr><td>\(time(skip.at))</td><td>\(e(skip.subject))</td><td>\(e(skip.actor))</td><td>\(e(skip.reason ?? "—"))</td>"
                + "<td class=\"\(skip.overrideCompliance ? "exception" : "")\">\(skip.overrideCompliance ? "compliance override" : "skip")"
                + " (\(e(skip.outcome)))</td><td>\(e(skip.detail ?? ""))</td><td>\(links(skip.auditID.map { [$0] } ?? []))</td></tr>"
        }
        return """
            <section aria-labelledby="skips"><h2 id="skips">Control 2 · Skips and compliance overrides</h2>
            \(table(["When", "Secret", "Who", "Why", "Kind", "Detail", "Audit row"], rows, empty: "No rotation was skipped in the period."))
            </section>
            """
    }

    static func emergencies(_ emergencies: [EmergencyFinding]) -> String {
        let rows = emergencies.map { item in
            "<tr><td>\(time(item.triggeredAt))</td><td>\(e(item.subject))</td><td>\(e(item.actor))</td><td>\(e(item.reason ?? "—"))</td>"
                + "<td>\(time(item.liveAt))</td><td class=\"num\">\(duration(item.triggerToLiveSeconds))</td>"
                + "<td>\(e(item.outcome))</td><td>\(links(item.auditIDs))</td></tr>"
        }
        return """
            <section aria-labelledby="emergencies"><h2 id="emergencies">Control 3 · Emergency rotations, trigger to live</h2>
            \(table(["Triggered", "Subject", "Who", "Why", "New value live", "Trigger to live", "Outcome", "Audit rows"], rows,
                    empty: "No emergency rotation in the period."))
            </section>
            """
    }

    static func failures(_ failures: [FailureFinding]) -> String {
        let rows = failures.map { item in
            "<tr><td>\(time(item.failedAt))</td><td>\(e(item.subject))</td><td>\(e(item.outcome))</td><td>\(e(item.reason ?? "—"))</td>"
                + "<td class=\"\(item.recoveredAt == nil ? "exception" : "ok")\">\(item.recoveredAt == nil ? "not recovered" : time(item.recoveredAt))</td>"
                + "<td class=\"num\">\(duration(item.timeToRecoverySeconds))</td><td>\(links(item.auditIDs))</td></tr>"
        }
        return """
            <section aria-labelledby="failures"><h2 id="failures">Control 4 · Failures and time to recovery</h2>
            <p>Recovery is the next new value of the same secret going live.</p>
            \(table(["Failed", "Secret", "Outcome", "Why", "Recovered", "Time to recovery", "Audit rows"], rows,
                    empty: "No rotation failed in the period."))
            </section>
            """
    }
}
