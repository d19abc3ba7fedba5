import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorCrypto
import RotorServer
import RotorTestSupport
import Testing

/// What a person sees on the dashboard's pages, read as text and specific elements (never whole pages, which other
/// parts may add to): the calendar, the customer keys, a secret's versions, schedule, policy and timeline, the
/// overview's order and tones, a broken playbook's problems; and no secret value anywhere: on SQLite and PostgreSQL.
@Suite("Dashboard page content", .serialized)
struct DashboardContentTests {
    typealias Backend = DashboardWorld.Backend
    static let day = DashboardWorld.day

    struct WriteRefused: Error, CustomStringConvertible {
        var description: String { "service A refused the write (HTTP 503)" }
    }

    @Test(arguments: Backend.allCases)
    func theCalendarListsRotationsAndWarningsOnTheirDatesAndKeepsAnOverdueOne(_ backend: Backend) async throws {
        let database = DashboardWorld.memoryPlaybook("calendar-db", every: 20 * Self.day, warnBefore: [7 * Self.day, Self.day])
        let late = DashboardWorld.memoryPlaybook("calendar-late", every: 10 * Self.day, warnBefore: [Self.day])
        let world = try await DashboardWorld.make(backend, extraPlaybooks: [database, late])
        let planted = [try await world.plant(database), try await world.plant(late)]
        let start = world.clock.now
        world.clock.advance(by: 12 * Self.day)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            let html = String(buffer: try await browser.get("/ui/calendar").body)
            func on(_ days: Double) -> String { PagePart.calendarDay(html, PagePart.day(start.addingTimeInterval(days * Self.day))) }
            func warning(_ secret: String, _ days: Double) -> String {
                "warning: \(secret) rotates in \(DurationText.format(.seconds(Int64(days * Self.day))))"
            }
            #expect(on(20).contains("calendar-db rotates"), "\(html)")
            #expect(on(13).contains(warning("calendar-db", 7)))
            #expect(on(19).contains(warning("calendar-db", 1)))
            #expect(on(40).contains("calendar-db rotates"))
            #expect(on(30).contains("openai-api-key rotates"))
            #expect(on(23).contains(warning("openai-api-key", 7)))
            // calendar-late was due two days ago: it stays on the calendar, today, as overdue, with its due date.
            let today = on(12)
            #expect(today.contains("calendar-late is overdue: it was due \(PagePart.time(start.addingTimeInterval(10 * Self.day)))"), "\(html)")
            #expect(PagePart.tag(before: "overdue</span>", in: today).contains("bad"))
            #expect(on(20).contains("calendar-late rotates"), "its next cycle, on its date")
            // Nothing in the past: not the overdue date itself, not a warning before it.
            #expect(on(10).isEmpty && on(9).isEmpty, "\(html)")
            for value in world.secrets(planted) { #expect(!html.contains(value)) }
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theKeysPageShowsEachOrgTheKeysNearMaxAgeAndTheHistogram(_ backend: Backend) async throws {
        let keyTable = DashboardWorld.keyTablePlaybook(maxAge: 100 * Self.day)
        let world = try await DashboardWorld.make(backend, extraPlaybooks: [keyTable])
        let table = world.app.keyTable(playbooks: [keyTable])
        let start = world.clock.now
        var made: [(record: APIKeyRecord, key: SecretValue)] = []
        for (org, age) in [("acme", 120.0), ("acme", 95.0), ("globex", 60.0), ("globex", 10.0), ("globex", 10.0)] {
            world.clock.set(start.addingTimeInterval(-age * Self.day))
            made.append(try await table.create(org: org, name: "\(org) backend \(Int(age))d", scopes: [], rateLimit: nil, actor: "tests"))
        }
        world.clock.set(start)
        let keys = made
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            let html = String(buffer: try await browser.get("/ui/keys").body)
            let byOrg = PagePart.between(html, "By organisation", "</table>")
            // Active, oldest, due soon, overdue.
            #expect(PagePart.cells(PagePart.between(byOrg, ">acme</", "</tr>")) == ["2", "120.0 d", "1", "1"], "\(byOrg)")
            #expect(PagePart.cells(PagePart.between(byOrg, ">globex</", "</tr>")) == ["3", "60.0 d", "0", "0"], "\(byOrg)")
            let near = PagePart.between(html, "Keys near max age", "</table>")
            for (index, key) in keys.enumerated() {
                #expect(near.contains(key.record.id) == (index < 2), "\(key.record.name)")
                #expect(!html.contains(key.key.revealed))
                #expect(!html.contains(Hex.encode(key.record.keyHash)))
            }
            let overdue = PagePart.between(near, keys[0].record.id, "</tr>")
            #expect(PagePart.cells(overdue).suffix(2) == ["120.0 d", "overdue"])
            #expect(overdue.contains(SecretValue.display(prefix: keys[0].record.prefix, last4: keys[0].record.last4)))
            #expect(PagePart.cells(PagePart.between(near, keys[1].record.id, "</tr>")).suffix(2) == ["95.0 d", "due_soon"])
            let plot = PagePart.between(html, "<figure class=\"plot\">", "</figure>")
            for bucket in ["0–25d: 2 keys", "25–50d: 0 keys", "50–75d: 1 key", "75–100d: 1 key", "&gt; 100d: 1 key"] {
                #expect(plot.contains("<title>\(bucket)</title>"), "\(bucket) in \(plot)")
            }
            #expect(plot.contains("5 active customer keys by age; 1 past the maximum age."))
            for value in world.secrets() { #expect(!html.contains(value)) }
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theSecretPageShowsVersionsScheduleWarningsPolicyAndEachRotationsSteps(_ backend: Backend) async throws {
        let playbook = DashboardWorld.memoryPlaybook("timeline-key", warnBefore: [7 * Self.day, Self.day])
        let world = try await DashboardWorld.make(backend, extraPlaybooks: [playbook])
        let planted = try await world.plant(playbook)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            var seen: [String] = []
            func act(_ action: String, _ reason: String) async throws -> (id: String, events: [ProgressEvent]) {
                try await browser.get("/ui/secrets/timeline-key/\(action)")
                let started = try await browser.post("/ui/secrets/timeline-key/\(action)", ["reason": reason])
                let location = try #require(started.headers[.location], "\(String(buffer: started.body))")
                let events = try await world.follow(browser, location)
                seen.append(events.map(\.text).joined() + events.map(\.outcome).joined())
                return (String(location.dropFirst("/ui/rotations/".count).prefix { $0 != "?" }), events)
            }
            let rotated = try await act("rotate", "quarterly")
            #expect(rotated.events.last?.state == "grace")
            // In grace: the new value is current and the imported one previous.
            let status = try #require(try await world.app.secrets.status(playbooks: [playbook], invalid: [:], only: "timeline-key").first)
            let (current, previous) = (try #require(status.current), try #require(status.previous))
            let inGrace = String(buffer: try await browser.get("/ui/secrets/timeline-key").body)
            seen.append(inGrace)
            let versions = PagePart.between(inGrace, "Versions", "</table>")
            #expect(PagePart.cells(PagePart.between(versions, ">current</", "</tr>")).prefix(2) == [current.display, current.fingerprint])
            #expect(PagePart.cells(PagePart.between(versions, ">previous</", "</tr>")).prefix(2) == [previous.display, previous.fingerprint])
            #expect(previous.display.hasSuffix(String(planted.suffix(4))))
            let next = try #require(status.nextRotationAt)
            #expect(inGrace.contains("Next rotation: \(PagePart.time(next))"))
            for before in [7 * Self.day, Self.day] {
                let duration = DurationText.format(.seconds(Int64(before)))
                #expect(inGrace.contains("<li>\(PagePart.time(next.addingTimeInterval(-before))) (\(duration) before)</li>"), "\(duration)")
            }
            let policy = PagePart.between(inGrace, "Policy", "</ul>")
            for line in ["max age \(DurationText.format(playbook.policy.maxAge))", "grace \(DurationText.format(playbook.grace))",
                         "at most \(playbook.policy.maxSkips) skips of \(DurationText.format(playbook.policy.skipFor)) per cycle",
                         "emergency grace \(DurationText.format(playbook.emergencyGrace))"] {
                #expect(policy.contains("<li>\(line)</li>"), "\(line)")
            }
            // An emergency in grace revokes the old value early: that rotation completes.
            let revoked = try await act("emergency", "old value seen in a log")
            #expect(revoked.id == rotated.id)
            #expect(revoked.events.last?.state == "completed")
            // An emergency whose write is refused rolls back.
            world.providers.state.withLock { $0.beforeApply["timeline-key:0"] = { throw WriteRefused() } }
            let refused = try await act("emergency", "key pasted in a ticket")
            #expect(refused.events.last?.state == "rolled_back")
            let html = String(buffer: try await browser.get("/ui/secrets/timeline-key").body)
            seen.append(html)
            let completed = PagePart.rotationCard(html, rotated.id)
            for text in ["trigger manual", "by alice", "reason: quarterly", "write service A: ", "check memory check: "] {
                #expect(completed.contains(text), "\(text) in \(completed)")
            }
            #expect(PagePart.tag(before: "completed</span>", in: completed).contains("good"))
            #expect(!completed.contains(">failed</span>"))
            let rolledBack = PagePart.rotationCard(html, refused.id)
            for text in ["trigger emergency", "by alice", "reason: key pasted in a ticket", "write service A: ", "refused the write"] {
                #expect(rolledBack.contains(text), "\(text) in \(rolledBack)")
            }
            #expect(PagePart.tag(before: "rolled_back</span>", in: rolledBack).contains("bad"))
            #expect(PagePart.tag(before: "failed</span>", in: rolledBack).contains("bad"), "the write that failed")
            #expect(!html.contains("its playbook is invalid"))
            for page in seen {
                for value in world.secrets([planted]) { #expect(!page.contains(value)) }
            }
        }
        await world.cleanup()
    }

    /// Overdue first, then failing, then awaiting a person (a value or an approval), then in flight, then the rest;
    /// those waiting on a person in amber, not green. A broken playbook's secret is failing, and its page lists the
    /// problems.
    @Test(arguments: Backend.allCases)
    func theOverviewPutsOverdueFailingAwaitingAndInFlightFirstAndShowsABrokenPlaybooksProblems(_ backend: Backend) async throws {
        let overdue = DashboardWorld.memoryPlaybook("rank-overdue", maxAge: 11 * Self.day)
        let others = ["rank-failed", "rank-approval", "rank-value", "rank-rotating", "rank-ok"].map { DashboardWorld.memoryPlaybook($0) }
        let problem = "rank-invalid.yml:3:1: error: unknown key targts, did you mean targets"
        let world = try await DashboardWorld.make(backend, extraPlaybooks: [overdue] + others, invalid: ["rank-invalid": [problem]])
        var values: [String] = []
        for playbook in [overdue] + others { values.append(try await world.plant(playbook)) }
        let planted = values
        world.clock.advance(by: 12 * Self.day)
        let now = world.clock.now
        @Sendable func rotation(_ secret: String, _ state: RotationState) -> RotationRecord {
            RotationRecord(id: "rot_\(secret.replacingOccurrences(of: "-", with: "_"))", secretName: secret, trigger: .schedule,
                           actor: "scheduler", state: state, error: state == .failed ? "service A: HTTP 503" : nil,
                           createdAt: now, updatedAt: now, completedAt: state.isActive ? nil : now)
        }
        try await world.app.store.transaction { tx in
            try tx.insertRotation(rotation("rank-failed", .failed))
            try tx.insertRotation(rotation("rank-approval", .awaitingApproval))
            try tx.insertRotation(rotation("rank-value", .awaitingValue))
            try tx.insertRotation(rotation("rank-rotating", .propagating))
        }
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            let html = String(buffer: try await browser.get("/ui").body)
            let table = PagePart.between(html, "id=\"secrets\"", "</table>")
            #expect(PagePart.secretLinks(table) == ["rank-overdue", "rank-failed", "rank-invalid", "rank-approval", "rank-value",
                                                    "rank-rotating", "openai-api-key", "rank-ok"], "\(table)")
            #expect(html.contains("<strong>6</strong> need attention"))
            for state in ["awaiting_approval", "awaiting_value", "rotating"] {
                #expect(PagePart.tag(before: "\(state)</span>", in: table).contains("warn"), "\(state)")
            }
            for state in ["failed", "invalid"] { #expect(PagePart.tag(before: "\(state)</span>", in: table).contains("bad"), "\(state)") }
            #expect(PagePart.tag(before: "overdue</span>", in: table).contains("bad"))
            let broken = try await browser.get("/ui/secrets/rank-invalid")
            #expect(broken.status == .ok)
            let page = String(buffer: broken.body)
            #expect(page.contains("rank-invalid: its playbook is invalid"))
            #expect(page.contains("<p>\(problem)</p>"))
            #expect(try await browser.get("/ui/secrets/rank-unknown").status == .notFound)
            for text in [html, page] {
                for value in world.secrets(planted) { #expect(!text.contains(value)) }
            }
        }
        await world.cleanup()
    }
}
