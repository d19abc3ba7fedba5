import Foundation
import Hummingbird
import RotorCore
import RotorReport

extension DashboardRoutes {
    /// `GET /ui/report?from=DAY&to=DAY&format=html|csv|pdf`: the compliance report over the period (what `rotor report`
    /// writes), as a download, for anyone signed in. The form is on the audit log page. PDF needs a headless Chromium
    /// on the server's PATH, as `rotor report --format pdf` does; without one the answer says how to get one.
    func reportDownload(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { _ in
            let parameters = Self.parameters(request)
            let format = parameters["format"] ?? "html"
            guard ["html", "csv", "pdf"].contains(format) else {
                throw ServerError(.badRequest, "the report comes as html, csv or pdf", hint: "choose a format in the report form",
                                  format: .html)
            }
            let chromium = format == "pdf" ? ChromiumPDF.locate() : nil
            if format == "pdf", chromium == nil {
                throw ServerError(.serviceUnavailable, ChromiumPDF.howToGetOne,
                                  hint: "or download the HTML report and print it to PDF from the browser", format: .html)
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
            if let chromium {
                let html = ReportHTML.render(report)
                // Chromium runs as a child process for a few seconds; the report gate lets one build run at a time.
                let pdf = try await Task.detached { try chromium.render(html: html) }.value
                return DashboardPage.download(ByteBuffer(bytes: pdf), type: "application/pdf", filename: period.fileName(extension: "pdf"))
            }
            let body = format == "csv" ? ReportCSV.render(report) : ReportHTML.render(report)
            return DashboardPage.download(ByteBuffer(string: body), type: format == "csv" ? "text/csv; charset=utf-8" : "text/html; charset=utf-8",
                                          filename: period.fileName(extension: format))
        }
    }
}
