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
        var total: String
        var page: Int
        var pages: String
        var previous: String?
        var next: String?
        var csv: String
    }

    /// `GET /ui/audit`: the audit log, newest first, filtered and paged (50 a page) by the store.
    func auditPage(_ request: Request, context: RotorRequestContext) async throws -> Response {
        try await page(context) { session in
            let query = DashboardAuditQuery(Self.parameters(request))
            let found = try await query.page(dependencies.store)
            let size = DashboardAuditQuery.pageSize
            let capped = found.total >= DashboardAuditQuery.countLimit
            let pages = max(1, (found.total + size - 1) / size)
            let view = AuditView(
                secret: query.subject ?? "", action: query.action ?? "", actor: query.actor ?? "",
                from: query.from.map(DashboardText.day) ?? "", to: query.to.map { DashboardText.day($0.addingTimeInterval(-86_400)) } ?? "",
                problems: query.problems, rows: found.events.map(Self.row), total: capped ? "more than \(found.total - 1)" : String(found.total),
                page: capped ? found.number : min(found.number, pages), pages: capped ? "more than \(pages - 1)" : String(pages),
                previous: found.newer.map { "/ui/audit" + query.queryString(page: $0 == .newest ? 1 : max(1, found.number - 1), start: $0) },
                next: found.older.map { "/ui/audit" + query.queryString(page: found.number + 1, start: $0) },
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
            return DashboardPage.download(AuditExport.csv(events), type: "text/csv; charset=utf-8", filename: "rotor-audit.csv")
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
