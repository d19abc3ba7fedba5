import Foundation
import HummingbirdTesting
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// The secret page's targets as read back from real ones (a dotenv file, the sandbox's Vercel and Render): what each
/// held at the last reading, by fingerprint, never a value; "Read targets now" for anyone signed in, once a minute.
@Suite("Dashboard target read-back", .serialized)
struct DashboardReadBackTests {
    typealias Backend = DashboardWorld.Backend
    static let path = "/ui/secrets/\(ReadBackWorld.secret)"
    static let press = "\(path)/read-targets"

    /// The table row of the target labelled `label` on a secret page.
    static func row(_ page: String, _ label: String) -> String {
        guard let start = page.range(of: "<tr><td>\(label)</td>") else { return "" }
        return String(page[start.lowerBound...].prefix { $0 != "\n" }.components(separatedBy: "</tr>").first ?? "")
    }

    static func fingerprint(_ value: String) -> String { SecretValue(value).fingerprint }

    @Test(arguments: Backend.allCases)
    func thePageShowsWhatEachTargetHeldAndDriftAfterAnEditByHandWithoutAnyValue(_ backend: Backend) async throws {
        let world = try await ReadBackWorld.make(backend)
        let labels = world.labels
        let rotated = try await world.rotate()
        let handSet = "sk-set-by-hand-RENDER-" + UUID().uuidString
        try await world.test { client in
            let alice = DashboardClient(client)
            try await alice.signIn(DashboardWorld.operatorToken)
            var pages: [String] = []
            let before = String(buffer: try await alice.get(Self.path).body)
            pages.append(before)
            #expect(before.contains("Not read yet."))
            #expect(Self.row(before, labels[0]).contains("not read yet"))
            #expect(before.contains("Read targets now"))

            let pressed = try await alice.post(Self.press, [:])
            #expect(pressed.status == .seeOther)
            #expect(pressed.headers[.location] == "\(Self.path)#targets")
            let page = String(buffer: try await alice.get(Self.path).body)
            pages.append(page)
            let current = Self.fingerprint(rotated)
            for label in [labels[0], labels[1], labels[3]] {
                #expect(Self.row(page, label).contains("holds the current version · fp \(current)"), "\(Self.row(page, label))")
                #expect(Self.row(page, label).contains("read just now"))
            }
            #expect(Self.row(page, labels[2]).contains("cannot be read back: sensitive"), "\(Self.row(page, labels[2]))")
            #expect(page.contains("by alice"))
            #expect(!page.contains("in flight"), "a rotation in grace has written every target")

            // By hand: the file gets Rotor's previous value back, Render a value Rotor never wrote.
            try world.editFile(ReadBackWorld.canary)
            try await world.sandbox.setByHand(service: "srv-api", key: "READBACK_KEY", value: handSet)
            world.clock.advance(by: 3 * 3600)
            let later = String(buffer: try await alice.get(Self.path).body)
            pages.append(later)
            #expect(Self.row(later, labels[0]).contains("read 3 h ago"))
            #expect(Self.row(later, labels[0]).contains("holds the current version"), "the page shows the stored reading, not a new one")

            #expect(try await alice.post(Self.press, [:]).status == .seeOther)
            let drifted = String(buffer: try await alice.get(Self.path).body)
            pages.append(drifted)
            #expect(Self.row(drifted, labels[0]).contains("holds the previous version · fp \(Self.fingerprint(ReadBackWorld.canary))"))
            #expect(Self.row(drifted, labels[3]).contains("holds a value Rotor did not write · fp \(Self.fingerprint(handSet))"))
            #expect(Self.row(drifted, labels[3]).contains("state bad"))
            #expect(drifted.contains("Attention: 1 target(s) hold a value Rotor did not write."))
            #expect(Self.row(drifted, labels[1]).contains("holds the current version"))

            let audits = try await world.audit("targets.read")
            #expect(audits.count == 2)
            #expect(audits.allSatisfy { $0.actor == "alice" && $0.subject == ReadBackWorld.secret })
            #expect(audits.last?.outcome == "drift")
            #expect(audits.last?.detail?.contains("\"state\":\"drift\"") == true)
            #expect(audits.last?.detail?.contains(Self.fingerprint(handSet)) == true)
            let stored = try #require(try await world.reading())
            #expect(stored.by == "alice" && stored.current == current)
            #expect(stored.targets.map(\.state) == [.previous, .current, .unknown, .drift])

            let auditText = try await world.auditText()
            for value in [ReadBackWorld.canary, rotated, handSet] {
                for text in pages + [auditText] { #expect(!text.contains(value), "a value leaked") }
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aVendorThatRefusesOrFailsShowsCouldNotReadWithoutAnySecret(_ backend: Backend) async throws {
        let world = try await ReadBackWorld.make(backend)
        let labels = world.labels
        let rotated = try await world.rotate()
        try await world.test { client in
            try await world.sandbox.inject(.status(401, target: .vercel, count: 100))
            try await world.sandbox.inject(.status(500, target: .render, count: 100))
            let bob = DashboardClient(client)
            try await bob.signIn(DashboardWorld.viewerToken)
            try await bob.get(Self.path)
            #expect(try await bob.post(Self.press, [:]).status == .seeOther)
            let page = String(buffer: try await bob.get(Self.path).body)
            #expect(Self.row(page, labels[0]).contains("holds the current version"))
            for label in [labels[1], labels[2], labels[3]] {
                #expect(Self.row(page, label).contains("could not read: "), "\(Self.row(page, label))")
                #expect(Self.row(page, label).contains("state bad"))
            }
            #expect(Self.row(page, labels[1]).contains("401"), "\(Self.row(page, labels[1]))")
            #expect(Self.row(page, labels[3]).contains("500"), "\(Self.row(page, labels[3]))")
            let stored = try #require(try await world.reading())
            #expect(stored.targets.map(\.state) == [.current, .unreadable, .unreadable, .unreadable])
            let auditText = try await world.auditText()
            for secret in [ReadBackWorld.canary, rotated, ReadBackWorld.vercelToken, ReadBackWorld.renderToken] {
                #expect(!page.contains(secret) && !auditText.contains(secret), "a secret leaked")
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func aViewerMayReadButAFormWithoutTheSessionsTokenIsRefusedAndStoresNothing(_ backend: Backend) async throws {
        let world = try await ReadBackWorld.make(backend)
        try await world.test { client in
            let bob = DashboardClient(client)
            try await bob.signIn(DashboardWorld.viewerToken)
            let page = String(buffer: try await bob.get(Self.path).body)
            #expect(page.contains("Read targets now"), "viewers see the form: it changes nothing")
            #expect(try await bob.post(Self.press, ["csrf": ""]).status == .forbidden)
            #expect(try await bob.post(Self.press, ["csrf": "not-the-session-token"]).status == .forbidden)
            let elsewhere = DashboardClient(client, origin: "https://evil.example.net")
            elsewhere.cookie = bob.cookie
            #expect(try await elsewhere.post(Self.press, [:], csrf: bob.lastCSRF).status == .forbidden)
            let anonymous = DashboardClient(client)
            #expect(try await anonymous.post(Self.press, ["csrf": "x"]).headers[.location] == "/ui/sign-in")
            // Hostile bodies and paths: too large, not the page's form, no such secret.
            #expect(try await bob.post(Self.press, ["filler": String(repeating: "A", count: 200_000)]).status == .contentTooLarge)
            #expect(try await bob.post(Self.press, [:], headers: [.contentType: "application/json"]).status == .unsupportedMediaType)
            #expect(try await bob.post("/ui/secrets/no-such-secret/read-targets", [:]).status == .notFound)
            #expect(try await bob.post("/ui/secrets/..%2F..%2Fetc/read-targets", [:]).status == .notFound)
            #expect(try await world.reading() == nil)
            #expect(try await world.audit("targets.read").isEmpty)

            try await bob.get(Self.path)
            #expect(try await bob.post(Self.press, [:]).status == .seeOther)
            #expect(try await world.reading()?.by == "bob")
            let audits = try await world.audit("targets.read")
            #expect(audits.map(\.actor) == ["bob"])
            // Nothing imported reached a target: every target that can say so is absent.
            #expect(try await world.reading()?.targets.map(\.state) == [.absent, .absent, .absent, .absent])

            // A rotation after the reading: the page says the reading compared with an older version.
            #expect(!String(buffer: try await bob.get(Self.path).body).contains("older than the current version"))
            _ = try await world.rotate()
            #expect(String(buffer: try await bob.get(Self.path).body).contains("This reading is older than the current version"))
        }
    }

    @Test(arguments: Backend.allCases)
    func aSecondPressWithinAMinuteShowsTheStoredReadingAndReadsNothing(_ backend: Backend) async throws {
        let world = try await ReadBackWorld.make(backend)
        let labels = world.labels
        _ = try await world.rotate()
        try await world.test { client in
            let alice = DashboardClient(client)
            try await alice.signIn(DashboardWorld.operatorToken)
            try await alice.get(Self.path)
            #expect(try await alice.post(Self.press, [:]).status == .seeOther)
            let first = try #require(try await world.reading())
            try world.editFile("sk-hand-edited-" + UUID().uuidString)

            world.clock.advance(by: 59)
            let again = try await alice.post(Self.press, [:])
            #expect(again.headers[.location] == "\(Self.path)?read=recent#targets")
            let page = String(buffer: try await alice.get("\(Self.path)?read=recent").body)
            #expect(page.contains("read less than a minute ago"))
            #expect(Self.row(page, labels[0]).contains("holds the current version"), "not read again")
            #expect(try await world.reading() == first)
            #expect(try await world.audit("targets.read").count == 1)

            world.clock.advance(by: 2)
            #expect(try await alice.post(Self.press, [:]).headers[.location] == "\(Self.path)#targets")
            let read = String(buffer: try await alice.get(Self.path).body)
            #expect(Self.row(read, labels[0]).contains("holds a value Rotor did not write"))
            #expect(!read.contains("read less than a minute ago"))
            #expect(try await world.audit("targets.read").count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func theDriftWatchKeepsItsReadingForThePageAndARotationInFlightIsSaid(_ backend: Backend) async throws {
        let world = try await ReadBackWorld.make(backend)
        let labels = world.labels
        try world.editFile(ReadBackWorld.canary)
        try await world.test { client in
            let watch = DriftWatch(store: world.app.store, factory: world.app.providers, playbooks: [world.playbook], logger: world.app.logger)
            _ = await watch.tick(now: world.clock.now)
            world.clock.advance(by: 2 * 86_400)
            let alice = DashboardClient(client)
            try await alice.signIn(DashboardWorld.operatorToken)
            let page = String(buffer: try await alice.get(Self.path).body)
            #expect(page.contains("by drift-watch"))
            #expect(Self.row(page, labels[0]).contains("holds the current version · fp \(Self.fingerprint(ReadBackWorld.canary))"))
            #expect(Self.row(page, labels[0]).contains("read 2 d ago"))
            #expect(Self.row(page, labels[1]).contains("absent"))
            #expect(!page.contains(ReadBackWorld.canary))
            #expect(try await world.audit("targets.read").isEmpty, "the watch alerts on drift; it does not audit its readings")

            let now = world.clock.now
            try await world.app.store.transaction { tx in
                try tx.insertRotation(RotationRecord(id: "rot-in-flight", secretName: ReadBackWorld.secret, trigger: .manual, actor: "tests",
                                                     state: .propagating, leaseOwner: "another-daemon", leaseExpiresAt: now.addingTimeInterval(300),
                                                     createdAt: now, updatedAt: now))
            }
            let writing = String(buffer: try await alice.get(Self.path).body)
            #expect(writing.contains("A rotation of this secret is in flight: its targets legitimately differ until it ends."))
        }
    }

    @Test(arguments: Backend.allCases)
    func aReadingThatIsNotOneIsShownAsNotReadYet(_ backend: Backend) async throws {
        let world = try await ReadBackWorld.make(backend)
        try await world.test { client in
            let huge = String(repeating: "{\"at\":", count: 100_000)
            for hostile in ["", "null", "{\"at\":\"yesterday\",\"by\":\"x\",\"targets\":[]}", "{\"targets\":[{\"state\":\"owned\"}]}", huge] {
                let key = TargetReport.settingKey(secret: ReadBackWorld.secret)
                try await world.app.store.transaction { try $0.setSetting(key, Array(hostile.utf8)) }
                let alice = DashboardClient(client)
                try await alice.signIn(DashboardWorld.operatorToken)
                let page = try await alice.get(Self.path)
                #expect(page.status == .ok)
                #expect(String(buffer: page.body).contains("Not read yet."))
                // A broken reading does not hold a read-back back.
                #expect(try await alice.post(Self.press, [:]).headers[.location] == "\(Self.path)#targets")
                world.clock.advance(by: 61)
            }
        }
    }
}
