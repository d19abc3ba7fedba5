import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorServer
import RotorTestSupport
import Testing

/// Signing in to the dashboard, its session cookie, CSRF and origin checks, roles and the failure limit: through
/// the real router, on SQLite and PostgreSQL.
@Suite("Dashboard sessions", .serialized)
struct DashboardSessionTests {
    typealias Backend = DashboardWorld.Backend

    @Test(arguments: Backend.allCases)
    func signingInWithAPersonsTokenStartsASessionWithAStrictCookie(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .seeOther)
            #expect(root.headers[.location] == "/ui")
            let browser = DashboardClient(client)
            let anonymous = try await browser.get("/ui")
            #expect(anonymous.status == .seeOther)
            #expect(anonymous.headers[.location] == "/ui/sign-in")
            let form = try await browser.get("/ui/sign-in")
            #expect(form.status == .ok)
            #expect(String(buffer: form.body).contains("<label for=\"token\">Token</label>"))
            let before = browser.cookie
            let signedIn = try await browser.post("/ui/sign-in", ["token": DashboardWorld.operatorToken])
            #expect(signedIn.status == .seeOther)
            #expect(signedIn.headers[.location] == "/ui")
            let cookie = try #require(browser.setCookies.first { $0.hasPrefix("rotor_session=") })
            #expect(cookie.contains("HttpOnly"))
            #expect(cookie.contains("SameSite=Strict"))
            #expect(cookie.contains("Secure"))
            #expect(cookie.contains("Path=/ui"))
            #expect(cookie.contains("Expires="))
            #expect(browser.cookie != before, "signing in must start a session under a new id")
            let overview = try await browser.get("/ui")
            #expect(overview.status == .ok)
            let text = String(buffer: overview.body)
            #expect(text.contains("Coverage"))
            #expect(text.contains(world.playbook.secret))
            #expect(text.contains("alice (operator)"))
            // The plot of age against max age, server-rendered SVG with the secret as a labelled bar.
            #expect(text.contains("<svg") && text.contains("Age against maximum age per secret"), "\(text)")
            let plot = try #require(text.range(of: "<svg").map { String(text[$0.lowerBound...]) })
            #expect(plot.prefix(while: { _ in true }).contains(world.playbook.secret))
        }
        let audited = try await world.audit("dashboard.signed_in")
        #expect(audited.map(\.actor) == ["alice"])
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theAdminTokenSignsInAsAnOperatorNamedAdmin(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            let signedIn = try await browser.signIn(DashboardWorld.adminToken)
            #expect(signedIn.status == .seeOther)
            let overview = try await browser.get("/ui")
            #expect(String(buffer: overview.body).contains("admin (operator)"))
        }
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func aWrongTokenIsRefusedAuditedAndLimited(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend, limits: ServiceLimits(failuresPerWindow: 3))
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.get("/ui/sign-in")
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                let answer = try await browser.post("/ui/sign-in", ["token": "not-anyones-token"])
                statuses.append(answer.status)
                #expect(!String(buffer: answer.body).contains("not-anyones-token"))
            }
            #expect(statuses == [.unauthorized, .unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests])
            // Limited by address, not by whether the token is right: the right one waits too.
            #expect(try await browser.post("/ui/sign-in", ["token": DashboardWorld.operatorToken]).status == .tooManyRequests)
        }
        let refused = try await world.audit("dashboard.sign_in_refused")
        #expect(refused.first?.outcome == "refused")
        #expect(try await world.audit("dashboard.signed_in").isEmpty)
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func formsWithoutTheSessionsCSRFTokenOrFromAnotherSiteAreRefused(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            // The sign-in form itself carries a token.
            try await browser.get("/ui/sign-in")
            #expect(try await browser.post("/ui/sign-in", ["token": DashboardWorld.operatorToken], csrf: "forged").status == .forbidden)
            try await browser.signIn(DashboardWorld.operatorToken)
            try await browser.get("/ui/secrets/\(world.playbook.secret)/skip")
            let path = "/ui/secrets/\(world.playbook.secret)/skip"
            #expect(try await browser.post(path, ["reason": "x"], csrf: "forged").status == .forbidden)
            #expect(try await browser.post(path, ["reason": "x", "csrf": ""]).status == .forbidden)
            #expect(try await browser.post(path, ["reason": "x"], headers: [.origin: "https://evil.example"]).status == .forbidden)
            #expect(try await browser.post(path, ["reason": "x"],
                                           headers: [HTTPFields.Element.Name("Sec-Fetch-Site")!: "cross-site"]).status == .forbidden)
            // A session of someone else: another browser's token does not work here.
            let other = DashboardClient(client)
            try await other.signIn(DashboardWorld.operatorToken)
            #expect(try await other.post(path, ["reason": "x"], csrf: browser.lastCSRF).status == .forbidden)
        }
        #expect(try await world.audit("secret.skipped").isEmpty)
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func aViewerSeesEverythingAndCanDoNothing(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.viewerToken)
            let page = try await browser.get("/ui/secrets/\(world.playbook.secret)")
            #expect(page.status == .ok)
            #expect(String(buffer: page.body).contains("needs the operator role"))
            for action in ["skip", "rotate", "emergency", "resolve"] {
                let path = "/ui/secrets/\(world.playbook.secret)/\(action)"
                let confirm = try await browser.get(path)
                #expect(confirm.status == .forbidden)
                #expect(String(buffer: confirm.body).contains("viewer role"))
                #expect(try await browser.post(path, ["reason": "leak", "how": "retry"]).status == .forbidden)
            }
        }
        #expect(try await world.audit("secret.skipped").isEmpty)
        #expect(try await world.audit("rotation.started").isEmpty)
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func anOperatorSkipsAfterConfirmingAndIsTheActor(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            let confirm = try await browser.get("/ui/secrets/\(world.playbook.secret)/skip")
            #expect(confirm.status == .ok)
            #expect(String(buffer: confirm.body).contains("Confirm: Skip the next rotation"))
            #expect(try await world.audit("secret.skipped").isEmpty, "the confirmation page changes nothing")
            let done = try await browser.post("/ui/secrets/\(world.playbook.secret)/skip", ["reason": "release freeze", "for": "7d"])
            #expect(done.status == .ok)
            #expect(String(buffer: done.body).contains("postponed to"))
        }
        let skipped = try #require(try await world.audit("secret.skipped").first)
        #expect(skipped.actor == "alice")
        #expect(skipped.reason == "release freeze")
        #expect(skipped.detail?.contains("via dashboard") == true)
        await world.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func sessionsExpireAndSigningOutEndsThem(_ backend: Backend) async throws {
        let world = try await DashboardWorld.make(backend)
        try await world.test { client in
            let browser = DashboardClient(client)
            try await browser.signIn(DashboardWorld.operatorToken)
            #expect(try await browser.get("/ui").status == .ok)
            world.clock.advance(by: 9 * 3600)
            #expect(try await browser.get("/ui").status == .seeOther, "a session ends 8 hours after sign-in")
            let late = try await browser.post("/ui/sign-out", [:])
            #expect(late.status == .seeOther && late.headers[.location] == "/ui/sign-in",
                    "signing out of an expired session goes to the sign-in page, not a refusal")

            let second = DashboardClient(client)
            try await second.signIn(DashboardWorld.viewerToken)
            let cookie = second.cookie
            #expect(try await second.get("/ui").status == .ok)
            let out = try await second.post("/ui/sign-out", [:])
            #expect(out.status == .seeOther)
            #expect(out.headers[.location] == "/ui/sign-in")
            second.cookie = cookie
            #expect(try await second.get("/ui").status == .seeOther, "the old session id no longer works")
        }
        #expect(try await world.audit("dashboard.signed_out").map(\.actor) == ["bob"])
        await world.cleanup()
    }
}
