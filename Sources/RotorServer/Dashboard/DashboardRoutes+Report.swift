import Foundation
import Hummingbird
import RotorCore
import RotorReport

extension DashboardRoutes {
    /// `GET /ui/report?from=DAY&to=DAY&format=html|csv`: the compliance report over the period (what `rotor report`
    /// writes), as a download, for anyone signed in. The form is on the audit log page; PDF stays with the CLI,
    /// which has the headless Chromium.
    func reportDownload(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { _ in
            let parameters = Self.parameters(request)
            let format = parameters["format"] ?? "html"
            guard format == "html" || format == "csv" else {
                throw ServerError(.badRequest, "the report comes as html or csv here", hint: "for a PDF run `rotor report --format pdf`",
                                  format: .html)
            }
            guard let from = parameters["from"], let to = parameters["to"], !from.isEmpty, !to.isEmpty else {
                throw ServerError(.badRequest, "the report needs a period: fill in both From and To",
                                  hint: "pick the days in the report form on the audit log page", format: .html)
            }
            let period: ReportPeriod
            do {
                period = try ReportPeriod.parse(from: String(from.prefix(40)), to: String(to.prefix(40)), now: dependencies.clock.now,
                                                fields: .dashboard)
            } catch let error as ReportPeriodError {
                throw ServerError(.badRequest, error.description, hint: "fix the period in the report form on the audit log page",
                                  format: .html)
            }
            guard let build = dependencies.periodReport else {
                throw ServerError(.notFound, "this server offers no report", hint: "run `rotor report` instead", format: .html)
            }
            let report = try await build(period)
            let body = format == "csv" ? ReportCSV.render(report) : ReportHTML.render(report)
            return DashboardPage.download(body, type: format == "csv" ? "text/csv; charset=utf-8" : "text/html; charset=utf-8",
                                          filename: period.fileName(extension: format))
        }
    }
}
