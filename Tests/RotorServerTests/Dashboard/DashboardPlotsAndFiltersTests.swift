import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// The overview's rotations per month, the audit log's filters and keyset pages (in the store, over several pages,
/// with hostile values), the report form's period errors in the dashboard's own words, and the customer keys near
/// their maximum age: on SQLite and PostgreSQL.
@Suite("Dashboard plots, audit filters and period errors", .serialized)
struct DashboardPlotsAndFiltersTests {
    typealias Backend = DashboardWorld.Backend

    static func month(_ date: Date, adding months: Int = 0) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let shifted = calendar.date(byAdding: .month, value: months, to: date)!
        let parts = calendar.dateComponents([.year, .month], from: shifted)
        return String(format: "%04d-%02d", parts.year!, parts.month!)
    }

    static func event(_ action: String, at: Date, actor: String = "rotor", subject: String = "openai-api-key",
                      reason: String? = nil) -> AuditEvent {
        AuditEvent(at: at, subject: subject, subjectKind: "secret", action: action, actor: actor, reason: reason, outcome: "success")
    }

    /// `text` percent-encoded byte by byte, except ASCII letters and digits (as a browser sends a form).
    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) ?? ""
    }

    /// The `href` of the link with `rel`, unescaped.
    static func link(_ html: String, rel: String) -> String? {
        guard let tag = html.range(of: "rel=\"\(rel)\"") else { return nil }
        let before = html[..<tag.lowerBound]
        guard let href = before.range(of: "href=\"", options: .backwards) else { return nil }
        return String(before[href.upperBound...].prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The reasons shown in the audit table (`paging-N`), in page order.
    static func reasons(_ html: String) -> [String] {
        html.components(separatedBy: "<td>paging-").dropFirst().map { "paging-" + $0.prefix { $0.isNumber } }
    }

    @Test(arguments: Backend.allCases)
    func theOverviewPlotsRotationsPerMonthByOutcomeForTheLastTwelveMonths(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        let now = world.clock.now
        try await world.app.store.transaction { tx in
            try tx.appendAudit(Self.event("rotation.completed", at: now.addingTimeInterval(-120)))
            try tx.appendAudit(Self.event("rotation.failed", at: now.addingTimeInterval(-60)))
            try tx.appendAudit(Self.event("rotation.rolled_back", at: now.addingTimeInterval(-62 * 86_400)))
            try tx.appendAudit(Self.event("rotation.completed", at: now.addingTimeInterval(-400 * 86_400)))  // over a year ago
        }
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            // A rotation that has started but not finished is no outcome yet.
            try await browser.get("/ui/secrets/\(world.playbook.secret)/rotate")
            let started = try await browser.post("/ui/secrets/\(world.playbook.secret)/rotate", ["reason": "plot"])
            #expect(String(buffer: try await browser.get(try #require(started.headers[.location]) + "/events").body).contains("\"done\":true"))
            let html = String(buffer: try await browser.get("/ui").body)
            #expect(html.contains("<h2 id=\"plot-months\">Rotations per month</h2>"))
            #expect(html.contains("<title id=\"months-plot-title\">Rotations per month by outcome, last 12 months</title>"))
            #expect(html.contains("role=\"img\" aria-labelledby=\"months-plot-title months-plot-desc\""))
            #expect(html.contains("12 months: 1 completed, 1 rolled back, 1 failed rotations."))
            #expect(html.contains("\(Self.month(now)): 1 completed"))
            #expect(html.contains("\(Self.month(now)): 1 failed"))
            #expect(html.contains("\(Self.month(now.addingTimeInterval(-62 * 86_400))): 1 rolled back"))
            #expect(html.contains(">\(Self.month(now, adding: -11))</text>"), "the first of the twelve months is labelled")
            for legend in [">completed</text>", ">rolled back</text>", ">failed</text>"] { #expect(html.contains(legend)) }
            #expect(html.contains("<figcaption>Finished rotations per calendar month (UTC)"))
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theAuditFiltersPageThroughTheStoreAndStayPutWhileRowsArrive(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        let now = world.clock.now
        try await world.app.store.transaction { tx in
            for index in 0..<130 {
                // Every second row shares its time with another: pages break ties by id.
                let at = now.addingTimeInterval(-Double(1_000 + index / 2))
                try tx.appendAudit(Self.event(index % 13 == 0 ? "rotation.started" : "secret.skipped", at: at,
                                              actor: index < 120 ? "carol" : "dave", reason: "paging-\(index)"))
            }
        }
        // Newest first: by time, then the later row (the higher index) of two at the same time.
        let expected = (0..<120).filter { $0 % 13 != 0 }.sorted { ($0 / 2, -$0) < ($1 / 2, -$1) }.map { "paging-\($0)" }
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            var pages: [[String]] = []
            var html = String(buffer: try await browser.get("/ui/audit?action=secret&actor=carol").body)
            #expect(html.contains("\(expected.count) events · page 1 of 3"))
            pages.append(Self.reasons(html))
            // Someone acts while the reader looks at page 1: the next pages still follow it.
            try await world.app.store.transaction { tx in
                for index in 0..<3 { try tx.appendAudit(Self.event("secret.skipped", at: now, actor: "carol", reason: "paging-new\(index)")) }
            }
            var next = Self.link(html, rel: "next")
            while let path = next, pages.count < 10 {
                #expect(path.contains("actor=carol") && path.contains("action=secret") && path.contains("before="), "\(path)")
                html = String(buffer: try await browser.get(path).body)
                pages.append(Self.reasons(html))
                next = Self.link(html, rel: "next")
            }
            #expect(pages.map(\.count) == [50, 50, expected.count - 100])
            #expect(pages.flatMap { $0 } == expected, "newest first, every matching row once, no other")
            #expect(html.contains("page 3 of 3"))
            // Back to the newer pages: the same rows, then the newest page with the rows that arrived.
            let previous = try #require(Self.link(html, rel: "prev"))
            let second = String(buffer: try await browser.get(previous).body)
            #expect(Self.reasons(second) == pages[1])
            let first = String(buffer: try await browser.get(try #require(Self.link(second, rel: "prev"))).body)
            #expect(Self.reasons(first) == pages[0])
            let newest = String(buffer: try await browser.get(try #require(Self.link(first, rel: "prev"))).body)
            #expect(newest.contains("paging-new2") && newest.contains("\(expected.count + 3) events · page 1 of 3"))
            #expect(Self.link(newest, rel: "prev") == nil)
            // The CSV has the same filter: every matching row, oldest first.
            let csv = String(buffer: try await browser.get("/ui/audit.csv?action=secret&actor=carol").body).split(separator: "\r\n")
            #expect(csv.count == 1 + expected.count + 3)
            #expect(csv.dropFirst().first?.contains(expected.last!) == true)
            #expect(String(buffer: try await browser.get("/ui/audit?actor=dave&action=secret.skipped").body).contains("10 events"))
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func hostileAuditFiltersAreTakenLiterallyAndNeverFail(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.app.store.transaction { tx in
            try tx.appendAudit(Self.event("a%b", at: world.clock.now, actor: "o'brien", subject: "x_y"))
            try tx.appendAudit(Self.event("ñandú.✓", at: world.clock.now, actor: "zoë \"z\" ✓", subject: "x%y"))
        }
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            let cases: [(String, String, Int)] = [
                ("actor", "o'brien", 1), ("action", "a%b", 1), ("action", "%", 0), ("action", "a_b", 0), ("secret", "x_y", 1),
                ("secret", "x_", 0), ("secret", "%", 0), ("action", "ñandú", 1), ("actor", "zoë \"z\" ✓", 1),
                ("actor", "' OR '1'='1", 0), ("action", "x'); DROP TABLE audit_events; --", 0), ("actor", "\\", 0),
                ("secret", String(repeating: "é", count: 200), 0),
            ]
            for (name, value, count) in cases {
                let page = try await browser.get("/ui/audit?\(name)=\(Self.encode(value))")
                #expect(page.status == .ok, "\(name)=\(value)")
                #expect(String(buffer: page.body).contains("\(count) events"), "\(name)=\(value)")
                let csv = try await browser.get("/ui/audit.csv?\(name)=\(Self.encode(value))")
                #expect(csv.status == .ok && String(buffer: csv.body).split(separator: "\r\n").count == 1 + count, "\(name)=\(value)")
            }
            #expect(String(buffer: try await browser.get("/ui/audit?action=secret.imported").body).contains("1 events"),
                    "the table survived")
            for bad in ["before=abc", "before=-4", "after=0", "before=1&after=2", "before=\(String(repeating: "9", count: 40))"] {
                let page = try await browser.get("/ui/audit?\(bad)")
                #expect(page.status == .badRequest, "\(bad)")
                #expect(String(buffer: page.body).contains("Ignored: "), "\(bad)")
            }
            // A row that is not in the log starts an empty page, with the way back to the newest.
            let gone = try await browser.get("/ui/audit?before=999999999&page=4")
            #expect(gone.status == .ok)
            #expect(Self.link(String(buffer: gone.body), rel: "prev") == "/ui/audit?page=1")
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func aBadReportPeriodNamesTheFormFieldsAndWhatToDo(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        let now = world.clock.now
        let day = { @Sendable (offset: Double) in String(ISO8601.string(now.addingTimeInterval(offset * 86_400)).prefix(10)) }
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            let cases: [(String, [String])] = [
                ("from=yesterday&to=\(day(0))", ["From &#39;yesterday&#39; is not a date", "pick a day in the From field (YYYY-MM-DD"]),
                ("from=\(day(-1))&to=13%2F01%2F2026", ["To value is not a date", "pick a day in the To field"]),
                ("from=\(day(0))&to=\(day(-3))", ["From (\(day(0))) is after To (\(day(-3)))", "pick a From day on or before the To day"]),
                ("from=\(day(30))&to=\(day(40))", ["From (\(day(30))) is in the future", "pick a From day up to today"]),
                ("to=\(day(0))", ["fill in both From and To", "report form on the audit log page"]),
            ]
            for (query, phrases) in cases {
                let answer = try await browser.get("/ui/report?\(query)")
                #expect(answer.status == .badRequest, "\(query)")
                let text = String(buffer: answer.body)
                for phrase in phrases { #expect(text.contains(phrase), "\(query): \(text)") }
                #expect(!text.contains("--from") && !text.contains("--to"), "the dashboard has no options: \(query)")
            }
            // The same day as From and To is one day's report.
            #expect(try await browser.get("/ui/report?from=\(day(-1))&to=\(day(-1))").status == .ok)
        }
        await world.cleanup()
    }

    static func keyTablePlaybook() -> Playbook {
        Playbook(file: "customer-api-keys.yml", secret: "customer-api-keys", schedule: ScheduleSpec(rule: .every(.seconds(90 * 86_400))),
                 policy: RotationPolicy(maxAge: .seconds(90 * 86_400)),
                 source: ProviderConfig(provider: Playbook.keyTableProvider, kind: .source, index: 0, label: "key table", fields: [:],
                                        location: PlaybookLocation(file: "customer-api-keys.yml", line: 1, column: 1)))
    }

    @Test(arguments: Backend.allCases)
    func theKeysPageListsTheKeysNearTheirMaxAge(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend, extraPlaybooks: [Self.keyTablePlaybook()])
        let table = world.app.keyTable(playbooks: [Self.keyTablePlaybook()])
        let now = world.clock.now
        var made: [String: String] = [:]
        for (name, age) in [("overdue", 100.0), ("due", 86.0), ("fresh", 10.0)] {
            world.clock.set(now.addingTimeInterval(-age * 86_400))
            made[name] = try await table.create(org: "acme", name: "key-\(name)", scopes: [], rateLimit: nil, actor: "tests").record.id
        }
        world.clock.set(now)
        let ids = made
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            let html = String(buffer: try await browser.get("/ui/keys").body)
            let start = try #require(html.range(of: "<h2>Keys near max age</h2>"))
            let end = try #require(html.range(of: "<h2>Key age histogram</h2>"))
            let near = String(html[start.upperBound..<end.lowerBound])
            #expect(near.contains("<code>\(ids["overdue"]!)</code>") && near.contains("key-overdue"))
            #expect(near.contains("<code>\(ids["due"]!)</code>") && near.contains("due_soon"))
            #expect(near.contains("overdue</span>"))
            #expect(!near.contains(ids["fresh"]!), "a fresh key is not near its max age")
            #expect(html.contains("<td>acme</td><td>3</td>"))
        }
        await world.cleanup()
    }
}
