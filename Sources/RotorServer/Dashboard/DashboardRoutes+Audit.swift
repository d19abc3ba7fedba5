import Foundation
import Hummingbird
import RotorCore

extension DashboardRoutes {
    struct AuditView {
        struct Row {
            var at: String
            var subject: String
            var action: String
            var actor: String
            var outcome: String
            var tone: String
            var reason: String
            var change: String
        }

        var secret: String
        var action: String
        var actor: String
        var from: String
        var to: String
        var problems: [String]
        var rows: [Row]
        var total: Int
        var page: Int
        var pages: Int
        var previous: String?
        var next: String?
        var csv: String
    }

    /// `GET /ui/audit`: the audit log, newest first, filtered and paged (50 a page).
    func auditPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let query = DashboardAuditQuery(Self.parameters(request))
            let events = try await query.events(dependencies.store)
            let pages = max(1, (events.count + DashboardAuditQuery.pageSize - 1) / DashboardAuditQuery.pageSize)
            let page = min(query.page, pages)
            let shown = events.dropFirst((page - 1) * DashboardAuditQuery.pageSize).prefix(DashboardAuditQuery.pageSize)
            let view = AuditView(
                secret: query.subject ?? "", action: query.action ?? "", actor: query.actor ?? "",
                from: query.from.map(DashboardText.day) ?? "", to: query.to.map { DashboardText.day($0.addingTimeInterval(-86_400)) } ?? "",
                problems: query.problems, rows: shown.map(Self.row), total: events.count, page: page, pages: pages,
                previous: page > 1 ? "/ui/audit" + query.queryString(page: page - 1) : nil,
                next: page < pages ? "/ui/audit" + query.queryString(page: page + 1) : nil,
                csv: "/ui/audit.csv" + query.queryString())
            return DashboardPage(template: "audit", title: "Audit log", view: view, session: session)
                .response(status: query.problems.isEmpty ? .ok : .badRequest)
        }
    }

    /// `GET /ui/audit.csv`: the filtered log as the CSV of `rotor audit --format csv`, oldest first, as a download.
    func auditCSV(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { _ in
            let query = DashboardAuditQuery(Self.parameters(request))
            guard query.problems.isEmpty else {
                throw ServerError(.badRequest, "the filters are not valid: " + query.problems.joined(separator: "; "),
                                  hint: "fix them on the audit log page", format: .html)
            }
            let events = try await query.events(dependencies.store)
            return DashboardPage.download(AuditExport.csv(events.reversed()), type: "text/csv; charset=utf-8", filename: "rotor-audit.csv")
        }
    }

    static func parameters(_ request: Request) -> [String: String] {
        var parameters: [String: String] = [:]
        for (name, value) in request.uri.queryParameters where parameters[String(name)] == nil {
            parameters[String(name)] = String(value)
        }
        return parameters
    }

    static func row(_ event: AuditEvent) -> AuditView.Row {
        let change = [event.oldLast4.map { "from …\($0)" }, event.newLast4.map { "to …\($0)" }].compactMap { $0 }.joined(separator: " ")
        return AuditView.Row(at: DashboardText.time(event.at), subject: event.subject, action: event.action, actor: event.actor,
                             outcome: event.outcome, tone: DashboardText.tone(["failed", "failure", "refused"].contains(event.outcome) ? "failed" : "ok"),
                             reason: event.reason ?? "", change: change)
    }
}
