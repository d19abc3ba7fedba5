import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// The audit log as the dashboard reads it: every filter (subject, action and the actions under it, actor, time) in
/// the store, pages by keyset on (at, id) that stay put while rows are appended, values taken literally, and each
/// query a range of an index, so a page costs its rows whatever the size of the log.
@Suite("Audit filter and page queries")
struct AuditFilterQueryTests {
    static let actions = ["secret.skipped", "secret.skipped.override-compliance", "secret.skippedx", "secret", "rotation.started",
                          "a%b", "a_b", "x'); DROP TABLE audit_events; --", "ñandú.✓"]
    static let actors = ["alice", "bob", "o'brien", "ñandú ✓", "%", "a\\b"]
    static let subjects = ["s1", "s2", "x_y"]

    /// `count` rows over the lists above, with times shuffled against ids and shared by several rows (ties).
    static func seed(_ store: any Store, count: Int) async throws -> [AuditEvent] {
        try await store.transaction { tx in
            try (0..<count).map { index in
                var event = Fixtures.audit(actions[index % actions.count], subject: subjects[index % subjects.count],
                                           at: t(Double((index * 37) % 150)))
                event.actor = actors[index % actors.count]
                return try tx.appendAudit(event)
            }
        }
    }

    /// Newest first, as the page shows them.
    static func newestFirst(_ events: [AuditEvent]) -> [AuditEvent] {
        events.sorted { ($0.at, $0.id ?? 0) > ($1.at, $1.id ?? 0) }
    }

    static let filters: [AuditFilter] = [
        AuditFilter(),
        AuditFilter(action: "secret.skipped"),
        AuditFilter(action: "secret"),
        AuditFilter(action: "a%b"),
        AuditFilter(action: "%"),
        AuditFilter(action: "a_"),
        AuditFilter(action: "x'); DROP TABLE audit_events; --"),
        AuditFilter(action: "ñandú"),
        AuditFilter(actor: "o'brien"),
        AuditFilter(actor: "ñandú ✓"),
        AuditFilter(actor: "_"),
        AuditFilter(actor: "a\\b"),
        AuditFilter(subject: "x_y", actor: "alice"),
        AuditFilter(subject: "x%"),
        AuditFilter(since: t(40), until: t(90)),
        AuditFilter(action: "secret.skipped", actor: "bob", since: t(10), until: t(120)),
        AuditFilter(subject: String(repeating: "s1", count: 5_000)),
    ]

    @Test(arguments: TestBackend.all)
    func filtersSelectExactlyTheMatchingRowsAcrossPages(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let all = try await Self.seed(store, count: 400)
            for filter in Self.filters {
                let expected = Self.newestFirst(all.filter(filter.matches))
                // Older pages, 7 rows each, from the newest.
                var older: [AuditEvent] = []
                var start = AuditPageStart.newest
                for _ in 0..<100 {
                    let from = start
                    let page = try await store.transaction { try $0.auditEvents(matching: filter, start: from, limit: 7) }
                    guard let last = page.last?.id else { break }
                    older += page
                    start = .olderThan(last)
                }
                #expect(older == expected, "\(filter)")
                // Newer pages, back from the oldest row: the same rows.
                var newer: [AuditEvent] = Array(expected.suffix(1))
                while let first = newer.first?.id {
                    let page = try await store.transaction { try $0.auditEvents(matching: filter, start: .newerThan(first), limit: 7) }
                    if page.isEmpty { break }
                    newer = page + newer
                }
                #expect(newer == expected, "\(filter)")
                let counts = try await store.transaction { tx in
                    (try tx.countAuditEvents(matching: filter, limit: 1_000), try tx.countAuditEvents(matching: filter, limit: 3))
                }
                #expect(counts.0 == expected.count && counts.1 == min(3, expected.count), "\(filter)")
                #expect(try await store.transaction { try $0.auditEvents(matching: filter) } == expected.reversed(), "\(filter)")
            }
            // The literal values found what they name, and the prefix rule holds.
            #expect(all.filter(AuditFilter(action: "secret.skipped").matches).map(\.action).contains("secret.skipped.override-compliance"))
            #expect(!all.filter(AuditFilter(action: "secret.skipped").matches).map(\.action).contains("secret.skippedx"))
            #expect(!all.filter(AuditFilter(action: "x'); DROP TABLE audit_events; --").matches).isEmpty)
            #expect(!all.filter(AuditFilter(action: "ñandú").matches).isEmpty)
            #expect(try await store.transaction { try $0.countAuditEvents(matching: AuditFilter(), limit: 10_000) } == 400)
        }
    }

    @Test(arguments: TestBackend.all)
    func pagesStayPutWhileRowsAreAppendedAndAMissingRowGivesAnEmptyPage(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let all = try await Self.seed(store, count: 60)
            let filter = AuditFilter(actor: "alice")
            let expected = Self.newestFirst(all.filter(filter.matches))
            let first = try await store.transaction { try $0.auditEvents(matching: filter, start: .newest, limit: 4) }
            // Someone acts while the reader looks at page 1: page 2 still starts right after page 1.
            try await store.transaction { tx in
                for _ in 0..<5 {
                    var event = Fixtures.audit("secret.skipped", at: t(1_000))
                    event.actor = "alice"
                    try tx.appendAudit(event)
                }
            }
            let anchor = try #require(first.last?.id)
            let second = try await store.transaction { try $0.auditEvents(matching: filter, start: .olderThan(anchor), limit: 4) }
            #expect(first + second == Array(expected.prefix(8)))
            #expect(try await store.transaction { try $0.auditEvents(matching: filter, start: .olderThan(999_999), limit: 4) }.isEmpty)
            #expect(try await store.transaction { try $0.auditEvents(matching: filter, start: .newerThan(-1), limit: 4) }.isEmpty)
        }
    }

    @Test(arguments: TestBackend.all)
    func pageCountAndMonthQueriesUseAnIndex(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                for index in 0..<20_000 {
                    // Skips are rare, as in a real log: the action filter picks out a few rows.
                    let action = index % 100 == 0 ? "secret.skipped" : ["step.verify", "rotation.completed", "dashboard.signed_in"][index % 3]
                    var event = Fixtures.audit(action, subject: "s-\(index % 400)", at: t(Double(index)))
                    event.actor = "actor-\(index % 50)"
                    try tx.appendAudit(event)
                }
            }
            if backend == .postgres { _ = try await rawRows(store, "ANALYZE audit_events") }
            let dialect: SQLDialect = backend == .postgres ? .postgres : .sqlite
            let anchor = (at: t(15_000), id: Int64(15_001))
            var queries: [(String, String, [SQLValue])] = []
            for (name, filter) in [("unfiltered", AuditFilter()), ("subject", AuditFilter(subject: "s-7")),
                                   ("action", AuditFilter(action: "secret")), ("actor", AuditFilter(actor: "actor-3")),
                                   ("period", AuditFilter(since: t(100), until: t(900))),
                                   ("actor in period", AuditFilter(actor: "actor-3", since: t(100), until: t(900)))] {
                let page = SQLTransaction.auditPageQuery(filter, anchor: nil, older: true, limit: 51, dialect: dialect)
                let older = SQLTransaction.auditPageQuery(filter, anchor: anchor, older: true, limit: 51, dialect: dialect)
                let newer = SQLTransaction.auditPageQuery(filter, anchor: anchor, older: false, limit: 51, dialect: dialect)
                queries += [(name, page.sql, page.values), (name + " older", older.sql, older.values), (name + " newer", newer.sql, newer.values)]
                // Counting everything is bounded by its limit alone; every filtered count is an index range.
                if name != "unfiltered" {
                    let count = SQLTransaction.auditCountQuery(filter, limit: 100_000, dialect: dialect)
                    queries.append((name + " count", count.sql, count.values))
                }
            }
            // A year of the log in twelve spans: a small part of it, as the overview's twelve months are of a long-lived log.
            let months = (0...12).map { SQLValue(t(Double($0) * 100)) }
            queries.append(("months", SQLTransaction.auditSpanCountQuery(spans: 12, actions: 3, dialect: dialect),
                            Array(months.dropFirst().dropLast()) + [.text("rotation.completed"), .text("rotation.failed"),
                                                             .text("rotation.rolled_back"), months[0], months[12]]))
            if backend == .postgres, let (_, query, parameters) = queries.last {
                // What the month counts read: the rows of their year (1,200 of 20,000), whatever lies outside it.
                let analysed = try await rawRows(store, "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF) " + query, parameters)
                    .map { try $0.text("QUERY PLAN") }
                let scan = try #require(analysed.firstIndex { $0.contains("Index Scan") || $0.contains("Bitmap Heap Scan") }, "\(analysed)")
                func number(after label: String, in line: String) -> Int? {
                    line.range(of: label).flatMap { Int(line[$0.upperBound...].prefix { $0.isNumber }) }
                }
                let returned = try #require(number(after: "actual rows=", in: analysed[scan]), "\(analysed)")
                let removed = analysed[(scan + 1)...].prefix { !$0.contains("->") }.compactMap { number(after: "Rows Removed by Filter: ", in: $0) }
                #expect(returned + removed.reduce(0, +) <= 1_200, "\(analysed)")
            }
            for (name, query, parameters) in queries {
                let plan: [String]
                switch backend {
                case .sqlite:
                    plan = try await rawRows(store, "EXPLAIN QUERY PLAN " + query, parameters).map { try $0.text("detail") }
                    #expect(!plan.contains { $0.hasPrefix("SCAN audit_events") && !$0.contains("INDEX") }, "\(name) scans the log: \(plan)")
                    #expect(plan.contains { $0.contains("INDEX audit_events_by") }, "\(name): \(plan)")
                case .postgres:
                    plan = try await rawRows(store, "EXPLAIN " + query, parameters).map { try $0.text("QUERY PLAN") }
                    #expect(!plan.contains { $0.contains("Seq Scan") }, "\(name) scans the log: \(plan)")
                    #expect(plan.contains { $0.contains("audit_events_by") }, "\(name): \(plan)")
                }
            }
        }
    }
}
