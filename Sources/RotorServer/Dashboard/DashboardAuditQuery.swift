import Foundation
import RotorCore

/// The audit log page's filters (secret, action, actor, date range) and page, read from the query string.
/// Anything that is not a filter's form is reported on the page and ignored, never echoed into a query.
struct DashboardAuditQuery: Equatable {
    static let pageSize = 50
    static let maxFilterLength = 200

    var subject: String?
    var action: String?
    var actor: String?
    /// Start of this day, UTC.
    var from: Date?
    /// End of this day, UTC (exclusive: the next day's start).
    var to: Date?
    var page = 1
    var problems: [String] = []

    init(_ parameters: [String: String]) {
        subject = Self.text(parameters["secret"], "secret", &problems)
        action = Self.text(parameters["action"], "action", &problems)
        actor = Self.text(parameters["actor"], "actor", &problems)
        from = Self.day(parameters["from"], "from", &problems)
        to = Self.day(parameters["to"], "to", &problems)?.addingTimeInterval(86_400)
        if let text = parameters["page"], !text.isEmpty {
            if let number = Int(text), number >= 1, number <= 1_000_000 { page = number } else { problems.append("page: not a page number") }
        }
    }

    /// The matching events, newest first.
    func events(_ store: any Store) async throws -> [AuditEvent] {
        let (since, until, subject) = (from, to, self.subject)
        let rows = try await store.transaction { try $0.auditEvents(since: since, until: until, subject: subject, limit: nil) }
        return rows.reversed().filter { event in
            (action.map { event.action == $0 || event.action.hasPrefix($0 + ".") } ?? true) && (actor.map { event.actor == $0 } ?? true)
        }
    }

    /// The query string of these filters (for the CSV link and the page links), percent-encoded.
    func queryString(page: Int? = nil) -> String {
        var items: [URLQueryItem] = []
        if let subject { items.append(URLQueryItem(name: "secret", value: subject)) }
        if let action { items.append(URLQueryItem(name: "action", value: action)) }
        if let actor { items.append(URLQueryItem(name: "actor", value: actor)) }
        if let from { items.append(URLQueryItem(name: "from", value: DashboardText.day(from))) }
        if let to { items.append(URLQueryItem(name: "to", value: DashboardText.day(to.addingTimeInterval(-86_400)))) }
        if let page { items.append(URLQueryItem(name: "page", value: String(page))) }
        var components = URLComponents()
        components.queryItems = items
        let query = components.percentEncodedQuery ?? ""
        return query.isEmpty ? "" : "?" + query.replacingOccurrences(of: "+", with: "%2B")
    }

    private static func text(_ value: String?, _ name: String, _ problems: inout [String]) -> String? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        guard value.count <= maxFilterLength, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            problems.append("\(name): too long or not text")
            return nil
        }
        return value
    }

    private static func day(_ value: String?, _ name: String, _ problems: inout [String]) -> Date? {
        guard let value, !value.isEmpty else { return nil }
        guard value.count == 10, let date = ISO8601.parse(value + "T00:00:00Z") else {
            problems.append("\(name): not a date (YYYY-MM-DD)")
            return nil
        }
        return date
    }
}
