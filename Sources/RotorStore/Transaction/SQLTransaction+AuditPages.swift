import Foundation
import RotorCore

/// The audit log as its readers page through it (the dashboard's audit page, its CSV, the overview's rotations per
/// month). Every filter is a range of one index (`audit_events_by_subject`, `_by_action`, `_by_actor`, `_by_at`), and
/// pages go by keyset on (at, id), so a page costs its rows whatever the size of the log.
extension SQLTransaction {
    /// The conditions of `filter` with their values; every value is bound, so quotes, `%` and `_` are just characters.
    static func auditFilterConditions(_ filter: AuditFilter, dialect: SQLDialect) -> (conditions: [String], values: [SQLValue]) {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if let subject = filter.subject {
            conditions.append("subject = ?")
            values.append(.text(subject))
        }
        if let action = filter.action {
            // The action itself, or the byte range of the actions under it: "a." up to "a/" ('/' follows '.').
            let column = "action" + dialect.binaryCollation
            conditions.append("(\(column) = ? OR (\(column) >= ? AND \(column) < ?))")
            values += [.text(action), .text(action + "."), .text(action + "/")]
        }
        if let actor = filter.actor {
            conditions.append("actor = ?")
            values.append(.text(actor))
        }
        if let since = filter.since {
            conditions.append("at >= ?")
            values.append(SQLValue(since))
        }
        if let until = filter.until {
            conditions.append("at < ?")
            values.append(SQLValue(until))
        }
        return (conditions, values)
    }

    /// One page of `filter`, from the row at `anchor` (exclusive), towards older rows or newer ones; newest first when
    /// `older`, oldest first otherwise.
    static func auditPageQuery(_ filter: AuditFilter, anchor: (at: Date, id: Int64)?, older: Bool, limit: Int,
                               dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        var (conditions, values) = auditFilterConditions(filter, dialect: dialect)
        if let anchor {
            // Spelled as a range on `at` plus a tie-break on id, so both backends bound the index scan by it.
            conditions.append(older ? "at <= ? AND (at < ? OR id < ?)" : "at >= ? AND (at > ? OR id > ?)")
            values += [SQLValue(anchor.at), SQLValue(anchor.at), .int(anchor.id)]
        }
        let order = older ? "at DESC, id DESC" : "at, id"
        values.append(SQLValue(max(0, limit)))
        return ("SELECT id, \(auditColumns) FROM audit_events\(whereClause(conditions)) ORDER BY \(order) LIMIT ?", values)
    }

    /// How many rows match `filter`, counting at most `limit`.
    static func auditCountQuery(_ filter: AuditFilter, limit: Int, dialect: SQLDialect) -> (sql: String, values: [SQLValue]) {
        let (conditions, values) = auditFilterConditions(filter, dialect: dialect)
        return ("SELECT COUNT(*) AS n FROM (SELECT 1 FROM audit_events\(whereClause(conditions)) LIMIT ?) AS matching",
                values + [SQLValue(max(0, limit))])
    }

    /// Counts of `actions` per span of `spans` consecutive spans: a `CASE` on the inner bounds names each row's span.
    static func auditSpanCountQuery(spans: Int, actions: Int, dialect: SQLDialect) -> String {
        let span = spans <= 1 ? "0" : "CASE " + (0..<(spans - 1)).map { "WHEN at < ? THEN \($0) " }.joined() + "ELSE \(spans - 1) END"
        return "SELECT \(span) AS span, action, COUNT(*) AS n FROM audit_events WHERE action\(dialect.binaryCollation) IN "
            + "(\(placeholders(actions))) AND at >= ? AND at < ? AND simulated_now = 0 GROUP BY 1, 2"
    }

    func auditEvents(matching filter: AuditFilter, start: AuditPageStart, limit: Int) throws -> [AuditEvent] {
        var anchor: (at: Date, id: Int64)?
        var older = true
        switch start {
        case .newest: break
        case .olderThan(let id), .newerThan(let id):
            guard let at = try row("SELECT at FROM audit_events WHERE id = ?", [.int(id)]) else { return [] }
            anchor = (try at.date("at"), id)
            if case .newerThan = start { older = false }
        }
        let (sql, values) = Self.auditPageQuery(filter, anchor: anchor, older: older, limit: limit, dialect: dialect)
        let events = try rows(sql, values).map(AuditEvent.init(row:))
        return older ? events : events.reversed()
    }

    func countAuditEvents(matching filter: AuditFilter, limit: Int) throws -> Int {
        let (sql, values) = Self.auditCountQuery(filter, limit: limit, dialect: dialect)
        return try row(sql, values)?.int("n") ?? 0
    }

    func auditEvents(matching filter: AuditFilter) throws -> [AuditEvent] {
        let (conditions, values) = Self.auditFilterConditions(filter, dialect: dialect)
        return try rows("SELECT id, \(Self.auditColumns) FROM audit_events\(Self.whereClause(conditions)) ORDER BY at, id", values)
            .map(AuditEvent.init(row:))
    }

    func countAuditEvents(actions: [String], bounds: [Date]) throws -> [[String: Int]] {
        guard bounds.count >= 2 else { return [] }
        guard bounds.count <= 1201 else { throw StoreError.queryFailed("at most 1,200 spans of the audit log are counted at once") }
        let spans = bounds.count - 1
        var counts = Array(repeating: Dictionary(actions.map { ($0, 0) }, uniquingKeysWith: { first, _ in first }), count: spans)
        guard !actions.isEmpty, let first = bounds.first, let last = bounds.last else { return counts }
        let values = bounds.dropFirst().dropLast().map { SQLValue($0) } + actions.map(SQLValue.text) + [SQLValue(first), SQLValue(last)]
        for row in try rows(Self.auditSpanCountQuery(spans: spans, actions: actions.count, dialect: dialect), values) {
            let span = try row.int("span")
            guard counts.indices.contains(span) else { continue }
            counts[span][try row.text("action")] = try row.int("n")
        }
        return counts
    }

    private static func whereClause(_ conditions: [String]) -> String {
        conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }
}
