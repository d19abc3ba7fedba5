import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorReport
import RotorServer
import RotorTestSupport
import Testing

/// The dashboard's pages: what they show, their security headers, live progress over server-sent events, the audit
/// log's filters and CSV, hostile input, and that no secret value ever appears: on SQLite and PostgreSQL.
@Suite("Dashboard pages", .serialized)
struct DashboardPageTests {
    typealias Backend = DashboardWorld.Backend

    static func pages(_ secret: String) -> [String] {
        ["/ui", "/ui/secrets/\(secret)", "/ui/secrets/\(secret)/skip", "/ui/secrets/\(secret)/rotate",
         "/ui/secrets/\(secret)/emergency", "/ui/secrets/\(secret)/resolve", "/ui/audit", "/ui/audit?secret=\(secret)&page=1",
         "/ui/audit.csv", "/ui/calendar", "/ui/keys", "/ui/sign-in"]
    }

    @Test(arguments: Backend.allCases)
    func everyPageCarriesStrictHeadersAndNoExternalResource(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            for path in Self.pages(world.playbook.secret) where path != "/ui/sign-in" {
                let page = try await browser.get(path)
                #expect(page.status == .ok, "\(path)")
                let csp = try #require(page.headers[.contentSecurityPolicy], "\(path)")
                #expect(csp.contains("default-src 'none'"))
                #expect(csp.contains("frame-ancestors 'none'"))
                #expect(!csp.contains("unsafe-inline"))
                #expect(page.headers[HTTPFields.Element.Name("X-Frame-Options")!] == "DENY")
                #expect(page.headers[.cacheControl] == "no-store")
                let text = String(buffer: page.body)
                for external in ["http://", "https://", "//cdn", "<script src", "<link "] {
                    #expect(!text.contains(external), "\(path) loads \(external)")
                }
                if path.hasSuffix(".csv") { continue }
                #expect(text.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
                // Only the live progress page has a script, and nothing has inline handlers or style attributes.
                #expect(!text.contains("<script"), "\(path)")
                #expect(!text.contains(" style=\""), "\(path)")
                #expect(!text.contains(" onclick="), "\(path)")
                let nonce = try #require(csp.split(separator: "'").first { $0.hasPrefix("nonce-") }).dropFirst("nonce-".count)
                #expect(text.contains("<style nonce=\"\(nonce)\">"))
                // Every input has a label.
                for id in Self.inputIDs(text) { #expect(text.contains("for=\"\(id)\""), "\(path): input \(id) has no label") }
            }
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func rotateNowShowsLiveProgressUntilTheOutcome(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            try await browser.get("/ui/secrets/\(world.playbook.secret)/rotate")
            let started = try await browser.post("/ui/secrets/\(world.playbook.secret)/rotate", ["reason": "quarterly"])
            #expect(started.status == .seeOther)
            let location = try #require(started.headers[.location])
            #expect(location.hasPrefix("/ui/rotations/rot_"))
            let page = try await browser.get(location)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            let csp = try #require(page.headers[.contentSecurityPolicy])
            let nonce = try #require(csp.split(separator: "'").first { $0.hasPrefix("nonce-") }).dropFirst("nonce-".count)
            #expect(html.contains("<script nonce=\"\(nonce)\">"))
            #expect(html.contains("new EventSource"))
            let events = try await browser.get(location + "/events")
            #expect(events.headers[.contentType] == "text/event-stream")
            let stream = String(buffer: events.body)
            #expect(stream.contains("event: progress"))
            #expect(stream.contains("\"done\":true"))
            #expect(stream.contains("Succeeded. The old value stays valid until"))
            #expect(stream.contains("\"state\":\"live\""))
            #expect(!stream.contains(DashboardWorld.canary))
            for minted in world.providers.minted { #expect(!stream.contains(minted)) }
        }
        let started = try #require(try await world.audit("rotation.started").first)
        #expect(started.actor == "alice")
        #expect(started.reason == "quarterly")
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func anEmergencyFromTheDashboardRotatesWithTheOperatorAsActor(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            try await browser.get("/ui/secrets/\(world.playbook.secret)/emergency")
            let refused = try await browser.post("/ui/secrets/\(world.playbook.secret)/emergency", ["reason": " "])
            #expect(refused.status == .unprocessableContent)
            #expect(String(buffer: refused.body).contains("a reason is required"))
            let started = try await browser.post("/ui/secrets/\(world.playbook.secret)/emergency", ["reason": "key pasted in a ticket"])
            #expect(started.status == .seeOther)
            let events = try await browser.get(try #require(started.headers[.location]) + "/events")
            #expect(String(buffer: events.body).contains("\"done\":true"))
        }
        let started = try #require(try await world.audit("rotation.started").first)
        #expect(started.trigger == "emergency")
        #expect(started.actor == "alice")
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theAuditLogFiltersPagesAndExportsCSV(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            for index in 0..<3 {
                try await browser.get("/ui/secrets/\(world.playbook.secret)/skip")
                try await browser.post("/ui/secrets/\(world.playbook.secret)/skip", ["reason": "freeze \(index)", "for": "1d"])
            }
            let all = String(buffer: try await browser.get("/ui/audit").body)
            #expect(all.contains("dashboard.signed_in"))
            #expect(all.contains("secret.imported"))
            let filtered = String(buffer: try await browser.get("/ui/audit?action=secret.skipped&actor=alice").body)
            #expect(filtered.contains("freeze 1"))
            #expect(!filtered.contains("freeze 2"))
            #expect(!filtered.contains("secret.imported"))
            #expect(filtered.contains("2 events"), "the third skip is over max_skips: refused, not audited as a skip")
            #expect(String(buffer: try await browser.get("/ui/audit?actor=nobody").body).contains("0 events"))
            let csv = try await browser.get("/ui/audit.csv?action=secret.skipped")
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.contains("attachment") == true)
            let lines = String(buffer: csv.body).split(separator: "\r\n")
            #expect(lines.first?.hasPrefix("timestamp,subject,") == true)
            #expect(lines.count == 3)
            #expect(lines.last?.contains("freeze 1") == true, "oldest first, as `rotor audit` exports")
        }
        #expect(try await world.audit("secret.skipped").count == 2)
        await world.cleanup()
    }

    /// The compliance report of `rotor report`, from the audit log page's form, for a viewer too: HTML or CSV as a
    /// download with the audit chain's verification; a bad period or format is refused with what to do.
    @Test(arguments: Backend.allCases)
    func theComplianceReportDownloadsForAPeriodAndABadOneIsRefused(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            #expect(String(buffer: try await browser.get("/ui/audit").body).contains("action=\"/ui/report\""))
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            let (from, to) = (formatter.string(from: world.clock.now.addingTimeInterval(-86_400)),
                              formatter.string(from: world.clock.now.addingTimeInterval(86_400)))
            let csv = try await browser.get("/ui/report?from=\(from)&to=\(to)&format=csv")
            #expect(csv.status == .ok)
            #expect(csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.headers[.contentDisposition]?.contains("attachment; filename=\"rotor-report-\(from)-to-\(to).csv\"") == true)
            let lines = String(buffer: csv.body).components(separatedBy: "\r\n")
            #expect(lines.first == "control,subject,kind,status,at,actor,reason,value,unit,detail,audit_ids")
            #expect(lines.contains { $0.hasPrefix("max_age,\(world.playbook.secret),secret,") }, "\(lines)")
            #expect(lines.contains { $0.hasPrefix("audit_chain,,,intact,") }, "\(lines)")
            let html = try await browser.get("/ui/report?from=\(from)&to=\(to)")
            #expect(html.status == .ok && html.headers[.contentDisposition]?.hasSuffix(".html\"") == true)
            #expect(String(buffer: html.body).contains("Secret rotation compliance report"))
            let pdf = try await browser.get("/ui/report?from=\(from)&to=\(to)&format=pdf")
            if ChromiumPDF.locate() != nil {
                #expect(pdf.status == .ok && pdf.headers[.contentType] == "application/pdf", "\(pdf.status)")
                #expect(Array(pdf.body.readableBytesView.prefix(5)) == Array("%PDF-".utf8))
            } else {
                #expect(ProcessInfo.processInfo.environment["CI"] != "true", "CI installs chromium (make deps)")
                #expect(pdf.status == .serviceUnavailable && String(buffer: pdf.body).contains("chromium"))
            }
            for bad in ["from=yesterday&to=\(to)", "from=\(to)&to=\(from)", "to=\(to)", "from=\(from)&to=\(to)&format=docx"] {
                let refused = try await browser.get("/ui/report?\(bad)")
                #expect(refused.status == .badRequest, "\(bad)")
            }
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func hostileInputIsRefusedOrEscapedNeverEchoedRaw(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            let script = "<script>alert(1)</script>"
            let encoded = DashboardClient.encode(script)
            let audit = try await browser.get("/ui/audit?secret=\(encoded)&actor=\(encoded)&from=yesterday&page=-3")
            #expect(audit.status == .badRequest)
            let text = String(buffer: audit.body)
            #expect(!text.contains(script))
            #expect(text.contains("&lt;script&gt;"))
            #expect(text.contains("not a date"))
            let huge = String(repeating: "A", count: 300)
            #expect(try await browser.get("/ui/audit?action=\(huge)").status == .badRequest)
            #expect(try await browser.get("/ui/audit?actor=%00%01").status == .badRequest)
            #expect(try await browser.get("/ui/audit.csv?from=2026-13-45").status == .badRequest)
            for path in ["/ui/secrets/..%2F..%2Fetc", "/ui/secrets/\(encoded)", "/ui/secrets/\(world.playbook.secret)/delete",
                         "/ui/rotations/\(encoded)", "/ui/rotations/rot_\(huge)", "/ui/nothing-here"] {
                let answer = try await browser.get(path)
                #expect(answer.status == .notFound, "\(path)")
                #expect(answer.headers[.contentType]?.hasPrefix("text/html") == true, "\(path)")
                #expect(!String(buffer: answer.body).contains(script))
            }
            // A skip reason with markup is stored as text and shown escaped.
            try await browser.get("/ui/secrets/\(world.playbook.secret)/skip")
            #expect(try await browser.post("/ui/secrets/\(world.playbook.secret)/skip", ["reason": script, "for": "soon"]).status
                    == .unprocessableContent)
            #expect(try await browser.post("/ui/secrets/\(world.playbook.secret)/skip", ["reason": script]).status == .ok)
            #expect(!String(buffer: try await browser.get("/ui/audit").body).contains(script))
            // Bodies: too large, of another type, broken encoding.
            var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .origin: browser.origin]
            headers[.cookie] = browser.cookie
            let big = try await client.execute(uri: "/ui/sign-out", method: .post, headers: headers,
                                               body: ByteBuffer(string: String(repeating: "a=b&", count: 10_000)))
            #expect(big.status == .contentTooLarge)
            headers[.contentType] = "application/json"
            #expect(try await client.execute(uri: "/ui/sign-out", method: .post, headers: headers, body: ByteBuffer(string: "{}")).status
                    == .unsupportedMediaType)
            headers[.contentType] = "application/x-www-form-urlencoded"
            #expect(try await client.execute(uri: "/ui/sign-out", method: .post, headers: headers, body: ByteBuffer(string: "csrf=%ZZ&%")).status
                    == .forbidden)
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func noPageEverShowsASecretValue(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            try await browser.get("/ui/secrets/\(world.playbook.secret)/rotate")
            let started = try await browser.post("/ui/secrets/\(world.playbook.secret)/rotate", [:])
            let location = try #require(started.headers[.location])
            let events = String(buffer: try await browser.get(location + "/events").body)
            var seen = [events, String(buffer: try await browser.get(location).body)]
            for path in Self.pages(world.playbook.secret) { seen.append(String(buffer: try await browser.get(path).body)) }
            let values = [DashboardWorld.canary, DashboardWorld.operatorToken, DashboardWorld.viewerToken, DashboardWorld.adminToken]
                + world.providers.minted
            #expect(world.providers.minted.count == 1)
            for page in seen {
                for value in values { #expect(!page.contains(value)) }
            }
            // The versions are shown by last 4 and fingerprint.
            #expect(seen.contains { $0.contains(String(DashboardWorld.canary.suffix(4))) })
        }
        await world.cleanup()
    }

    static func inputIDs(_ html: String) -> [String] {
        var ids: [String] = []
        var rest = Substring(html)
        while let input = rest.range(of: "<input ") {
            let tag = rest[input.lowerBound...].prefix { $0 != ">" }
            rest = rest[input.upperBound...]
            if tag.contains("type=\"hidden\"") || tag.contains("type=\"radio\"") { continue }
            if let id = tag.range(of: "id=\"") { ids.append(String(tag[id.upperBound...].prefix { $0 != "\"" })) }
        }
        return ids
    }
}
