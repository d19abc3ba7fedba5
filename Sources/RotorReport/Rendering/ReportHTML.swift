import Foundation
import RotorCore

/// The report as one self-contained HTML page: inline CSS (with print rules), inline SVG plots, no script and
/// nothing fetched. Every value from the store is escaped. Each claim links to its audit rows in the appendix
/// (`#audit-<id>`).
public enum ReportHTML {
    public static func render(_ report: PeriodReport) -> String {
        let from = ISO8601.string(report.period.from), to = ISO8601.string(report.period.to)
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>Rotor compliance report \(e(from)) to \(e(to))</title>
            <style>\(ReportStyle.css)</style></head>
            <body><main>
            <h1>Secret rotation compliance report</h1>
            <p class="meta">Period \(e(from)) to \(e(to)) (end exclusive, UTC) · generated \(e(ISO8601.string(report.generatedAt))) \
            by Rotor · rehearsals under <code>--now</code> are left out</p>
            \(summary(report))
            \(chain(report.chainVerification))
            \(ages(report))
            \(skips(report.skips))
            \(emergencies(report.emergencies))
            \(failures(report.failures))
            \(coverage(report))
            \(appendix(report.evidence))
            </main></body></html>

            """
    }

    static func summary(_ report: PeriodReport) -> String {
        let c = report.coverage
        let unrecovered = report.failures.filter { $0.recoveredAt == nil }.count
        return """
            <section aria-labelledby="summary"><h2 id="summary">Summary</h2><div class="figures">
            \(figure("Coverage", "\(ReportCSV.number(c.percent)) %", "\(c.secretsWithin + c.keysWithin) of \(c.secretsCounted + c.keysCounted) within max age"))
            \(figure("Max-age exceptions", String(report.ageExceptions.count + report.unlistedKeyExceptions), "secrets and customer keys"))
            \(figure("Skips and overrides", String(report.skips.count), "\(report.skips.filter(\.overrideCompliance).count) compliance overrides"))
            \(figure("Emergency rotations", String(report.emergencies.count), "trigger to live below"))
            \(figure("Failures", String(report.failures.count), "\(unrecovered) not recovered"))
            </div></section>
            """
    }

    static func figure(_ name: String, _ value: String, _ note: String) -> String {
        "<div class=\"figure\">\(e(name))<b>\(e(value))</b>\(e(note))</div>"
    }

    static func chain(_ status: ReportChainStatus?) -> String {
        let css = status.map { $0.intact ? "ok" : "broken" } ?? "warn"
        var rows = "<p>Result: <span class=\"\(css)\">\(e(ReportChainStatus.summary(status)))</span></p>"
        if let bad = status?.firstBadRow {
            rows += "<p>The first row that does not verify is \(link(bad)): it, or a row before it, was edited, deleted, inserted or reordered.</p>"
        }
        return "<section aria-labelledby=\"chain\"><h2 id=\"chain\">Audit chain verification</h2>\(rows)</section>"
    }

    static func coverage(_ report: PeriodReport) -> String {
        let c = report.coverage
        let body = [("Managed secrets", c.secretsWithin, c.secretsCounted, c.secretsPercent),
                    ("Customer keys", c.keysWithin, c.keysCounted, c.keysPercent),
                    ("All", c.secretsWithin + c.keysWithin, c.secretsCounted + c.keysCounted, c.percent)].map { name, within, counted, percent in
            "<tr><th scope=\"row\">\(name)</th><td class=\"num\">\(within)</td><td class=\"num\">\(counted)</td>"
                + "<td class=\"num\">\(ReportCSV.number(percent)) %</td></tr>"
        }.joined()
        return """
            <section aria-labelledby="coverage"><h2 id="coverage">Control 5 · Coverage over the period</h2>
            <p>A subject counts as covered when it stayed within its maximum age for the whole period. Customer keys counted are \
            those active at the end of the period and those rotated within it. These figures count the findings of \
            <a href="#max-age">Control 1</a>: every exception there is a subject not covered here, with the audit rows that show it.</p>
            <div class="table"><table><thead><tr><th scope="col">Subjects</th><th scope="col">Within max age</th>\
            <th scope="col">Counted</th><th scope="col">Coverage</th></tr></thead><tbody>\(body)</tbody></table></div></section>
            """
    }

    static func appendix(_ rows: [AuditEvent]) -> String {
        let body = rows.map { row in
            let id = row.id ?? 0
            let version = [row.oldFingerprint.map { "old \($0)…\(row.oldLast4 ?? "")" }, row.newFingerprint.map { "new \($0)…\(row.newLast4 ?? "")" }]
                .compactMap { $0 }.joined(separator: ", ")
            return "<tr id=\"audit-\(id)\"><td class=\"num\">#\(id)</td><td>\(e(ISO8601.string(row.at)))</td><td>\(e(row.subject))</td>"
                + "<td>\(e(row.action))</td><td>\(e(row.actor))</td><td>\(e(row.trigger ?? ""))</td><td>\(e(row.reason ?? ""))</td>"
                + "<td>\(e(row.outcome))</td><td>\(e(version))</td><td>\(e(row.rotationID ?? ""))</td><td>\(e(row.detail ?? ""))</td></tr>"
        }.joined(separator: "\n")
        return """
            <section class="appendix" aria-labelledby="appendix"><h2 id="appendix">Appendix · Audit rows cited</h2>
            <p>\(rows.count) row\(rows.count == 1 ? "" : "s"), as <code>rotor audit export</code> shows them (values by fingerprint and last 4 only).</p>
            <div class="table"><table><thead><tr><th scope="col">Row</th><th scope="col">Time</th><th scope="col">Subject</th>\
            <th scope="col">Action</th><th scope="col">Actor</th><th scope="col">Trigger</th><th scope="col">Reason</th>\
            <th scope="col">Outcome</th><th scope="col">Versions</th><th scope="col">Rotation</th><th scope="col">Detail</th></tr></thead>
            <tbody>\(body)</tbody></table></div></section>
            """
    }

    // MARK: Helpers

    static func e(_ text: String) -> String { MarkupText.escape(text) }

    /// A link to one audit row of the appendix.
    static func link(_ id: Int64) -> String { "<a href=\"#audit-\(id)\">#\(id)</a>" }

    static func links(_ ids: [Int64]) -> String { ids.isEmpty ? "—" : ids.map(link).joined(separator: " ") }

    /// `4m 12s`, `3h 5m`, `2d 4h`.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite else { return "—" }
        let s = Int(max(0, seconds).rounded())
        if s < 3600 { return s < 60 ? "\(s)s" : "\(s / 60)m \(s % 60)s" }
        if s < 86400 { return "\(s / 3600)h \(s % 3600 / 60)m" }
        return "\(s / 86400)d \(s % 86400 / 3600)h"
    }

    static func time(_ date: Date?) -> String { date.map { e(ISO8601.string($0)) } ?? "—" }
}
