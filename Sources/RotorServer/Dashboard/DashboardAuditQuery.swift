import Foundation
import RotorCore

/// The audit log page's filters (secret, action, actor, date range) and page, read from the query string.
/// Anything that is not a filter's form is reported on the page and ignored, never echoed into a query. The store
/// applies every filter (see ``AuditFilter``); pages go by keyset (`before`/`after` a row id), so rows appended while
/// someone pages never shift what the next page shows. `page` only numbers the page for the reader.
struct DashboardAuditQuery: Equatable {
    static let pageSize = 50
    static let maxFilterLength = 200
    /// Matching rows are counted up to here; beyond, the page says "more than".
    static let countLimit = 100_000

    /// One page of the log and where the pages around it start.
    struct Page {
        var events: [AuditEvent]
        /// The matching rows, at most ``countLimit``.
        var total: Int
        var number: Int
        var newer: AuditPageStart?
        var older: AuditPageStart?
    }

    var subject: String?
    var action: String?
    var actor: String?
    /// Start of this day, UTC.
    var from: Date?
    /// End of this day, UTC (exclusive: the next day's start).
    var to: Date?
    var page = 1
    var start = AuditPageStart.newest
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
        let before = Self.row(parameters["before"], "before", &problems), after = Self.row(parameters["after"], "after", &problems)
        if let before, after != nil {
            problems.append("page: either before or after, not both")
        } else if let before {
            start = .olderThan(before)
        } else if let after {
            start = .newerThan(after)
        } else {
            page = 1
        }
    }

    var filter: AuditFilter { AuditFilter(subject: subject, action: action, actor: actor, since: from, until: to) }

    /// Every matching event, oldest first (the CSV export).
    func events(_ store: any Store) async throws -> [AuditEvent] {
        let filter = self.filter
        return try await store.transaction { try $0.auditEvents(matching: filter) }
    }

    /// The page this query asks for, newest first, with the count of matching rows: a few index ranges of the store.
    func page(_ store: any Store) async throws -> Page {
        let (filter, start, size, number) = (self.filter, self.start, Self.pageSize, page)
        return try await store.transaction { tx in
            let total = try tx.countAuditEvents(matching: filter, limit: Self.countLimit)
            // One row more than a page tells whether there is another page beyond it.
            var rows = try tx.auditEvents(matching: filter, start: start, limit: size + 1)
            switch start {
            case .newerThan where rows.count > size:
                let shown = Array(rows.suffix(size))
                return Page(events: shown, total: total, number: max(2, number), newer: shown.first?.id.map { .newerThan($0) },
                            older: shown.last?.id.map { .olderThan($0) })
            case .newerThan, .newest:
                // Back at the newest rows: show the newest full page.
                if case .newerThan = start { rows = try tx.auditEvents(matching: filter, start: .newest, limit: size + 1) }
                let shown = Array(rows.prefix(size))
                return Page(events: shown, total: total, number: 1, newer: nil,
                            older: rows.count > size ? shown.last?.id.map { .olderThan($0) } : nil)
            case .olderThan:
                let shown = Array(rows.prefix(size))
                return Page(events: shown, total: total, number: max(2, number), newer: shown.first?.id.map { .newerThan($0) } ?? .newest,
                            older: rows.count > size ? shown.last?.id.map { .olderThan($0) } : nil)
            }
        }
    }

    /// The query string of these filters (for the CSV link and the page links), percent-encoded.
    func queryString(page: Int? = nil, start: AuditPageStart = .newest) -> String {
        var items: [URLQueryItem] = []
        if let subject { items.append(URLQueryItem(name: "secret", value: subject)) }
        if let action { items.append(URLQueryItem(name: "action", value: action)) }
        if let actor { items.append(URLQueryItem(name: "actor", value: actor)) }
        if let from { items.append(URLQueryItem(name: "from", value: DashboardText.day(from))) }
        if let to { items.append(URLQueryItem(name: "to", value: DashboardText.day(to.addingTimeInterval(-86_400)))) }
        switch start {
        case .newest: break
        case .olderThan(let id): items.append(URLQueryItem(name: "before", value: String(id)))
        case .newerThan(let id): items.append(URLQueryItem(name: "after", value: String(id)))
        }
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

    private static func row(_ value: String?, _ name: String, _ problems: inout [String]) -> Int64? {
        guard let value, !value.isEmpty else { return nil }
        guard value.count <= 19, let id = Int64(value), id >= 1 else {
            problems.append("\(name): not a row of the log")
            return nil
        }
        return id
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
