import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorCrypto
import RotorServer
@testable import RotorStore
import RotorTestSupport
import Testing

/// The dashboard's sessions live in the store: they survive a restart, daemons on one store share them, they expire
/// by the service's clock, and the table holds nothing a reader of the database could use or forge. On SQLite and
/// PostgreSQL, through the real routers of separate services.
@Suite("Dashboard sessions in the store", .serialized)
struct DashboardStoredSessionTests {
    typealias Backend = DashboardWorld.Backend

    /// What a browser keeps between two daemons' routers.
    final class Jar: @unchecked Sendable {
        var cookie: String?
        var csrf: String?
    }

    @Test(arguments: Backend.allCases)
    func aSignedInSessionSurvivesARestart(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let jar = Jar()
        let first = try await daemons.open()
        try await first.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            #expect(try await browser.get("/ui").status == .ok)
            jar.cookie = browser.cookie
        }
        await first.app.close()

        let second = try await daemons.open()
        try await second.test { client in
            let browser = DashboardClient(client)
            browser.cookie = jar.cookie
            let overview = try await browser.get("/ui")
            #expect(overview.status == .ok, "the session of the daemon before the restart still works")
            #expect(String(buffer: overview.body).contains("alice (operator)"))
        }
        await second.app.close()
        await daemons.cleanup()
    }

    /// rotor.yml changes between restarts: a person downgraded to viewer, or removed, keeps no session of the old role.
    @Test(arguments: Backend.allCases)
    func aSessionEndsWhenRotorYmlNoLongerGivesThePersonThatRole(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let alice = Jar(), bob = Jar()
        let first = try await daemons.open()
        try await first.test { client in
            for (jar, token) in [(alice, DashboardWorld.operatorToken), (bob, DashboardWorld.viewerToken)] {
                let browser = DashboardClient(client)
                try await browser.signIn(token)
                #expect(try await browser.get("/ui").status == .ok)
                jar.cookie = browser.cookie
            }
        }
        await first.app.close()
        try """
        users:
          - { name: alice, role: viewer, token: env:ROTOR_TOKEN_ALICE }
        """.write(toFile: "\(daemons.home)/rotor.yml", atomically: true, encoding: .utf8)
        let second = try await daemons.open()
        try await second.test { client in
            for jar in [alice, bob] {
                let browser = DashboardClient(client)
                browser.cookie = jar.cookie
                let page = try await browser.get("/ui")
                #expect(page.status == .seeOther && page.headers[.location] == "/ui/sign-in",
                        "a downgraded or removed person signs in again")
            }
            let again = DashboardClient(client)
            try await again.signIn(DashboardWorld.operatorToken)
            #expect(String(buffer: try await again.get("/ui").body).contains("alice (viewer)"))
        }
        await second.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func daemonsOnOneStoreShareSessionsAndSigningOutAtOneEndsItAtTheOther(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let a = try await daemons.open()
        let b = try await daemons.open()
        let jar = Jar()
        try await a.test { atA in
            try await b.test { atB in
                let browserA = DashboardClient(atA)
                try await browserA.signIn(DashboardWorld.operatorToken)
                #expect(try await browserA.get("/ui").status == .ok)
                jar.cookie = browserA.cookie

                let browserB = DashboardClient(atB)
                browserB.cookie = browserA.cookie
                let overview = try await browserB.get("/ui")
                #expect(overview.status == .ok, "signed in at A, the session works at B")
                #expect(String(buffer: overview.body).contains("alice (operator)"))

                let out = try await browserB.post("/ui/sign-out", [:])
                #expect(out.status == .seeOther)
                #expect(out.headers[.location] == "/ui/sign-in")
                let refused = try await browserA.get("/ui")
                #expect(refused.status == .seeOther, "signed out at B, A no longer accepts the cookie")
                #expect(refused.headers[.location] == "/ui/sign-in")
            }
        }
        #expect(try await daemons.sql("SELECT key_hash FROM dashboard_sessions WHERE key_hash = ?",
                                      [.text(Self.keyHash(ofCookie: jar.cookie))]).isEmpty, "signing out removes the row")
        await a.app.close()
        await b.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func sessionsExpireByTheServicesClockAndExpiredRowsArePruned(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let daemon = try await daemons.open()
        let jar = Jar()
        try await daemon.test { client in
            // The sign-in form keeps its CSRF token in a cookie of its own: loading it writes nothing to the store, and
            // a form sent without that cookie is refused.
            let stranger = DashboardClient(client)
            try await stranger.get("/ui/sign-in")
            #expect(stranger.signInCookie != nil && stranger.cookie == nil)
            #expect(try await daemons.sql("SELECT key_hash FROM dashboard_sessions").isEmpty, "the sign-in page stores nothing")
            stranger.signInCookie = nil
            let refused = try await stranger.post("/ui/sign-in", ["token": DashboardWorld.operatorToken])
            #expect(refused.status == .forbidden, "a sign-in form without its cookie's token")

            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            #expect(try await browser.get("/ui").status == .ok)
            jar.cookie = browser.cookie
            daemons.clock.advance(by: 8 * 3600 + 1)
            #expect(try await browser.get("/ui").status == .seeOther)
            // The next write (a sign-in) prunes the expired rows.
            try await DashboardClient(client).signIn(DashboardWorld.operatorToken)
        }
        let rows = try await daemons.sql("SELECT key_hash, expires_at FROM dashboard_sessions")
        #expect(!rows.isEmpty)
        #expect(try rows.allSatisfy { try $0.date("expires_at") > daemons.clock.now }, "only live sessions are left")
        #expect(try !rows.contains { try $0.text("key_hash") == Self.keyHash(ofCookie: jar.cookie) })
        #expect(try await audited(daemons, "dashboard.signed_in") == ["bob", "alice"])
        await daemon.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theTableHoldsNeitherTheCookiesIDNorTheCSRFTokenNorTheNameInClear(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let daemon = try await daemons.open()
        let jar = Jar()
        try await daemon.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            #expect(try await browser.get("/ui").status == .ok)
            jar.cookie = browser.cookie
            jar.csrf = browser.lastCSRF
        }
        let id = try #require(jar.cookie.map { String($0.dropFirst("rotor_session=".count)) })
        let csrf = try #require(jar.csrf)
        let rows = try await daemons.sql("SELECT key_hash, sealed_value, master_key_id, expires_at, created_at FROM dashboard_sessions")
        let row = try #require(try rows.first { try $0.text("key_hash") == Self.keyHash(ofCookie: jar.cookie) },
                               "the signed-in session is stored under the hash of its key")
        #expect(try row.date("expires_at") == daemons.clock.now.addingTimeInterval(8 * 3600))
        #expect(try row.text("master_key_id") == daemons.keyring.current.id)
        for row in rows {
            let everything = try Array(row.text("key_hash").utf8) + row.blob("sealed_value") + Array(row.text("master_key_id").utf8)
            for clear in [id, csrf, "alice", "operator", DashboardWorld.operatorToken] {
                #expect(!Self.contains(everything, Array(clear.utf8)), "\(clear.prefix(6))… is in the table in clear")
            }
        }
        await daemon.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func rowsWrittenByHandAreRefusedWithoutAnError(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let daemon = try await daemons.open()
        let alice = Jar()
        let bob = Jar()
        try await daemon.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            alice.cookie = browser.cookie
            alice.csrf = (try await browser.get("/ui")).status == .ok ? browser.lastCSRF : nil
            let viewer = DashboardClient(client)
            try await viewer.signIn(DashboardWorld.viewerToken)
            bob.cookie = viewer.cookie
        }
        let aliceHash = Self.keyHash(ofCookie: alice.cookie)
        let sealed = try #require(try await daemons.sql("SELECT sealed_value, master_key_id FROM dashboard_sessions WHERE key_hash = ?",
                                                        [.text(aliceHash)]).first)
        let box = try sealed.blob("sealed_value")
        let keyID = try sealed.text("master_key_id")
        let expires = SQLValue(daemons.clock.now.addingTimeInterval(3600))
        let now = SQLValue(daemons.clock.now)
        // Bob, a viewer with database access, moves Alice's operator session under his own key…
        _ = try await daemons.sql("UPDATE dashboard_sessions SET sealed_value = ?, master_key_id = ? WHERE key_hash = ? RETURNING key_hash",
                                  [.blob(box), .text(keyID), .text(Self.keyHash(ofCookie: bob.cookie))])
        // …copies it under a key of his choosing, and writes a session of his own in plain JSON.
        let copied = "rotor_session=copied-by-hand-\(UUID().uuidString)"
        let plain = "rotor_session=plain-json-\(UUID().uuidString)"
        let json = #"{"user":"mallory","role":"operator","csrf":"x","startedAt":\#(daemons.clock.now.timeIntervalSinceReferenceDate)}"#
        for (cookie, value) in [(copied, box), (plain, Array(json.utf8))] {
            _ = try await daemons.sql("INSERT INTO dashboard_sessions (key_hash, sealed_value, master_key_id, expires_at, created_at) "
                                      + "VALUES (?, ?, ?, ?, ?) RETURNING key_hash",
                                      [.text(Self.keyHash(ofCookie: cookie)), .blob(value), .text(keyID), expires, now])
        }
        try await daemon.test { client in
            for cookie in [bob.cookie, copied, plain] {
                let browser = DashboardClient(client)
                browser.cookie = cookie
                let page = try await browser.get("/ui")
                #expect(page.status == .seeOther && page.headers[.location] == "/ui/sign-in", "a forged session is no session")
                #expect(try await browser.get("/ui/sign-in").status == .ok)
            }
            // Alice's own row, edited by one byte, no longer opens either.
            let aliceBrowser = DashboardClient(client)
            aliceBrowser.cookie = alice.cookie
            #expect(try await aliceBrowser.get("/ui").status == .ok)
            var edited = box
            edited[edited.count - 1] ^= 0x01
            _ = try await daemons.sql("UPDATE dashboard_sessions SET sealed_value = ? WHERE key_hash = ? RETURNING key_hash",
                                      [.blob(edited), .text(aliceHash)])
            #expect(try await aliceBrowser.get("/ui").status == .seeOther)
        }
        let warnings = daemons.logs.all.filter { $0.contains("does not open") }
        #expect(warnings.count >= 4)
        let clear = [try #require(alice.cookie), try #require(bob.cookie), copied, plain].map { String($0.dropFirst("rotor_session=".count)) }
            + [try #require(alice.csrf), "mallory"]
        for line in daemons.logs.all {
            for secret in clear { #expect(!line.contains(secret), "a log line holds a session's id or content") }
        }
        await daemon.app.close()
        await daemons.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func hostileCookiesGetTheSignInPageNeverAnError(_ backend: Backend) async throws {
        let daemons = try await DashboardDaemons.make(backend)
        let daemon = try await daemons.open()
        let many = (0..<2000).map { "c\($0)=\(String(repeating: "v", count: 16))" }.joined(separator: "; ")
        let hostile = [
            "rotor_session=%%%\u{7f}garbage;;==; rotor_session=",
            "rotor_session=",
            "rotor_session=" + String(repeating: "A", count: 64 * 1024),
            many + "; rotor_session=one; rotor_session=two; rotor_session=" + String(repeating: "/+=", count: 300),
            String(repeating: "rotor_session=x; ", count: 3000),
        ]
        // Through the real router, and over a socket (the HTTP parser sees the huge header too).
        try await daemon.test { client in try await Self.expectSignInPage(client, hostile) }
        try await daemon.service.application(host: "127.0.0.1", port: 0).test(.live) { client in
            try await Self.expectSignInPage(client, hostile)
        }
        await daemon.app.close()
        await daemons.cleanup()
    }

    /// Each cookie on `/ui` is sent to the sign-in page, which answers with its form.
    static func expectSignInPage(_ client: any TestClientProtocol, _ hostile: [String]) async throws {
        for cookie in hostile {
            let page = try await client.execute(uri: "/ui", method: .get, headers: [.cookie: cookie], body: nil)
            #expect(page.status == .seeOther, "cookie of \(cookie.utf8.count) bytes")
            #expect(page.headers[.location] == "/ui/sign-in")
            let form = try await client.execute(uri: "/ui/sign-in", method: .get, headers: [.cookie: cookie], body: nil)
            #expect(form.status == .ok, "cookie of \(cookie.utf8.count) bytes")
            #expect(String(buffer: form.body).contains("<label for=\"token\">Token</label>"))
        }
    }

    // MARK: Helpers

    /// The row key of the session a `rotor_session=…` cookie names: SHA-256 hex of the persist key `hbs.<id>`.
    static func keyHash(ofCookie cookie: String?) -> String {
        SHA256.hex(Array("hbs.\(cookie.map { String($0.dropFirst("rotor_session=".count)) } ?? "")".utf8))
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    func audited(_ daemons: DashboardDaemons, _ action: String) async throws -> [String] {
        try await daemons.sql("SELECT actor FROM audit_events WHERE action = ? ORDER BY id", [.text(action)]).map { try $0.text("actor") }
    }
}
