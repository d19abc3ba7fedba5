import Foundation
@testable import ProviderManual
import RotorCore
import RotorHTTP
import RotorTestSupport
import Testing

@Suite("manual source: parsing, and checking a supplied value")
struct ManualSourceTests {
    static let stripe = """
        provider: manual
        instructions: |
          In the Stripe Dashboard: Developers → API keys → Roll key. Paste the new key here.
        expect: "^rk_live_[A-Za-z0-9]{24,}$"
        test: { provider: http, url: "https://api.stripe.com/v1/balance",
                headers: { Authorization: "Bearer {{value}}" }, expect_status: 200 }
        request_before: 3d
        deadline: 7d
        """

    private func source(_ yaml: String, client: HTTPClient = .shared) throws -> ManualSource {
        ManualSource(config: try Playbooks.parse(source: yaml).source, client: client)
    }

    @Test func theIssueExampleParsesWithItsDurationsAndTest() throws {
        let manual = try source(Self.stripe)
        #expect(manual.instructions.hasPrefix("In the Stripe Dashboard"))
        #expect(manual.expect == "^rk_live_[A-Za-z0-9]{24,}$")
        #expect(manual.requestBefore == .seconds(3 * 86_400))
        #expect(manual.deadline == .seconds(7 * 86_400))
        let test = try #require(manual.test)
        #expect(test.url == "https://api.stripe.com/v1/balance")
        #expect(test.expectStatus == 200)
        #expect(test.headers.first?.value == "Bearer {{value}}")
        #expect(!manual.canRevoke)
    }

    @Test func brokenFieldsAreReportedWithFileAndLine() {
        func problems(_ yaml: String) -> [String] { Playbooks.problems(source: yaml) }
        let badRegex = problems("provider: manual\ninstructions: x\nexpect: \"^rk_(live\"")
        #expect(badRegex.contains { $0.contains("test.yml:6") && $0.contains("not a valid regular expression") }, "\(badRegex)")
        #expect(problems("provider: manual\nexpect: \"^a$\"").contains { $0.contains("instructions") })
        #expect(problems("provider: manual\ninstructions: \"  \"\nexpect: a").contains { $0.contains("must not be empty") })
        #expect(problems("provider: manual\ninstructions: x").contains { $0.contains("needs 'expect' or 'test'") })
        #expect(problems("provider: manual\ninstructions: x\nexpect: a\nrequest_before: soon").contains { $0.contains("test.yml:7") })
        #expect(problems("provider: manual\ninstructions: x\ntest: { provider: exec, url: \"https://a.b\" }")
            .contains { $0.contains("not one of http") })
        #expect(problems("provider: manual\ninstructions: x\ntest: { provider: http }").contains { $0.contains("url") })
        #expect(problems("provider: manual\ninstructions: x\ntest: { provider: http, url: \"https://a.b/{{value}}\" }")
            .contains { $0.contains("must not use placeholders") })
        #expect(problems("provider: manual\ninstructions: x\ntest: { provider: http, url: \"https://a.b\", headers: { X: \"{{token}}\" } }")
            .contains { $0.contains("knows only {{value}}") })
        #expect(problems("provider: manual\ninstructions: x\nexpect: a\nmint: {}").contains { $0.contains("unknown key 'mint'") })
        #expect(problems("provider: manual\ninstructions: x\ntest: { provider: http, url: \"https://a.b\", expect_status: 1000 }")
            .contains { $0.contains("from 100 to 599") })
    }

    @Test func aGitHubAppTestTakesItsOwnFieldsAndRefusesTheHTTPOnes() {
        func problems(_ test: String) -> [String] { Playbooks.problems(source: "provider: manual\ninstructions: x\ntest: \(test)") }
        #expect(problems("{ provider: github-app, app_id: 123456 }").isEmpty)
        #expect(problems("{ provider: github-app, client_id: Iv23liAbc, api_url: \"https://ghe.example.com/api/v3\" }").isEmpty)
        #expect(problems("{ provider: github-app }").contains { $0.contains("needs app_id or client_id") })
        #expect(problems("{ provider: github-app, app_id: 1, client_id: Iv1 }").contains { $0.contains("needs app_id or client_id") })
        #expect(problems("{ provider: github-app, app_id: \"12ab\" }").contains { $0.contains("the App's number") })
        #expect(problems("{ provider: github-app, app_id: 1, url: \"https://a.b\", headers: { X: y } }")
            .filter { $0.contains("does not apply to a github-app test") }.count == 2)
        #expect(problems("{ provider: http, url: \"https://a.b\", app_id: 1 }").contains { $0.contains("does not apply to a http test") })
        #expect(problems("{ provider: github-app, app_id: 1, api_url: \"not a url\" }").contains { $0.contains("URL") })
    }

    @Test func aBuiltInTestRefusesTheValueWithItsReasonButNeverTheValue() async throws {
        let config = try Playbooks.parse(source: "provider: manual\ninstructions: x\ntest: { provider: github-app, app_id: 1 }").source
        let failing = ManualSource(config: config, client: .shared, valueTest: { value, _ in
            throw ValueRefusal("check github-app 1: GET /app answered HTTP 401 for \(value.revealed)")
        })
        #expect(failing.test == nil, "a github-app test is not an http request")
        let refusal = try await expectRefusal { try await failing.check(SecretValue("CANARY-pem"), clock: SystemClock()) }
        #expect(refusal.description.contains("HTTP 401") && !refusal.description.contains("CANARY"), "\(refusal)")
        let passing = ManualSource(config: config, client: .shared, valueTest: { _, _ in })
        try await passing.check(SecretValue("-----BEGIN RSA PRIVATE KEY-----"), clock: SystemClock())
        try await passing.supplying(SecretValue("x")).mint(StepContext(
            secret: "s", rotationID: "r", step: .generate, idempotencyKey: "k", logger: .init(label: "t"), clock: SystemClock()))
    }

    private func expectRefusal(_ body: () async throws -> Void) async throws -> ValueRefusal {
        do { try await body() } catch let refusal as ValueRefusal { return refusal }
        Issue.record("the value was not refused")
        return ValueRefusal("")
    }

    @Test func hostileAndHugeInputIsRefusedWithoutQuotingIt() {
        let huge = String(repeating: "A", count: 200_000)
        let problems = Playbooks.problems(source: "provider: manual\ninstructions: x\nexpect: \"(\(huge)\"")
        #expect(problems.contains { $0.contains("not a valid regular expression") })
        #expect(!problems.contains { $0.contains(huge) })
        #expect(!Playbooks.problems(source: "provider: manual\ninstructions: [a, b]\nexpect: a").isEmpty)
        #expect(!Playbooks.problems(source: "provider: manual\ninstructions: x\nexpect: a\ntest: [1, 2]").isEmpty)
    }

    @Test func aValueOfTheWrongFormIsRefusedSayingWhyWithoutTheValue() async throws {
        let manual = try source("provider: manual\ninstructions: x\nexpect: \"^rk_live_[A-Za-z0-9]{24,}$\"")
        let canary = "sk_live_CANARY0123456789abcdefghij"
        let refusal = await #expect(throws: ValueRefusal.self) { try await manual.check(SecretValue(canary), clock: SystemClock()) }
        #expect(refusal?.description.contains("expected form") == true)
        #expect(refusal?.description.contains(canary) == false)
        try await manual.check(SecretValue("rk_live_" + String(repeating: "a", count: 24)), clock: SystemClock())
        for bad in ["", "  \n", "rk_live_aaaaaaaaaaaaaaaaaaaaaaaa\u{0}", String(repeating: "r", count: ManualSource.maxValueBytes + 1)] {
            await #expect(throws: ValueRefusal.self) { try await manual.check(SecretValue(bad), clock: SystemClock()) }
        }
    }

    @Test func theTestRequestCarriesTheValueAndItsStatusDecides() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let good = "rk_live_GOODGOODGOODGOODGOODGOOD"
        server.route("/v1/balance") { request in
            request.headers["Authorization"] == "Bearer \(good)" ? .text("{}") : .text("{\"error\":{}}", status: 401)
        }
        let manual = try source("""
            provider: manual
            instructions: x
            test: { provider: http, url: "\(server.url("/v1/balance"))", headers: { Authorization: "Bearer {{value}}" } }
            """)
        try await manual.check(SecretValue(good), clock: SystemClock())
        let dead = "rk_live_DEADDEADDEADDEADDEADDEAD"
        let refusal = await #expect(throws: ValueRefusal.self) { try await manual.check(SecretValue(dead), clock: SystemClock()) }
        #expect(refusal?.description.contains("HTTP 401") == true)
        #expect(refusal?.description.contains(dead) == false)
        let closed = try await TestHTTPServer.closedPort()
        let unreachable = try source("""
            provider: manual
            instructions: x
            test: { provider: http, url: "http://127.0.0.1:\(closed)/v1/balance", headers: { Authorization: "Bearer {{value}}" } }
            """)
        let failed = await #expect(throws: ValueRefusal.self) { try await unreachable.check(SecretValue(good), clock: SystemClock()) }
        #expect(failed?.description.contains("failed") == true)
        #expect(failed?.description.contains(good) == false)
    }

    @Test func aRevokeCheckParsesWithItsDefaultsAndBrokenOnesSayWhatToFix() throws {
        let manual = try source(Self.stripe + "\nrevoke_check: { provider: http, url: \"https://api.stripe.com/v1/balance\", "
                                + "headers: { Authorization: \"Bearer {{value}}\" } }\nrevoke_instructions: Expire the old key.")
        let check = try #require(manual.revokeCheck)
        #expect(check.expectStatus == 401, "a dead key gets 401 unless the playbook says otherwise")
        #expect(manual.hasRevokeCheck && manual.revokeInstructions == "Expire the old key.")
        #expect(try source(Self.stripe).hasRevokeCheck == false)

        func problems(_ extra: String) -> [String] { Playbooks.problems(source: "provider: manual\ninstructions: x\nexpect: a\n" + extra) }
        let alive = problems("revoke_check: { provider: http, url: \"https://a.b\", headers: { A: \"{{value}}\" }, expect_status: 200 }")
        #expect(alive.contains { $0.contains("test.yml:") && $0.contains("a 2xx would pass while that key still works") }, "\(alive)")
        #expect(problems("revoke_check: { provider: http }").contains { $0.contains("url") })
        #expect(problems("revoke_check: { provider: exec, url: \"https://a.b\" }").contains { $0.contains("not one of http") })
        #expect(problems("revoke_check: { provider: http, url: \"https://a.b/{{value}}\" }")
            .contains { $0.contains("revoke_check url must not use placeholders") })
        #expect(problems("revoke_check: { provider: http, url: \"https://a.b\", headers: { X: \"{{new}}\" } }")
            .contains { $0.contains("uses {{new}}") && $0.contains("the OLD value") })
        #expect(problems("revoke_check: { provider: http, url: \"https://a.b\", expect_status: 99 }").contains { $0.contains("from 100 to 599") })
        #expect(problems("revoke_instructions: \"  \"").contains { $0.contains("must not be empty") })
        #expect(!problems("revoke_check: [1, 2]").isEmpty)
        let huge = String(repeating: "B", count: 200_000)
        let hostile = problems("revoke_check: { provider: http, url: \"https://a.b/{{\(huge)}}\" }")
        #expect(!hostile.isEmpty && !hostile.contains { $0.contains(huge) })
    }

    @Test func theRevokeCheckProvesTheOldValueDeadOnlyWhenItGetsTheExpectedStatus() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let alive = "rk_live_ALIVEALIVEALIVEALIVEALIVE"
        server.route("/v1/balance") { request in
            request.headers["Authorization"] == "Bearer \(alive)" ? .text("{}") : .text("{\"error\":{}}", status: 401)
        }
        let manual = try source("""
            provider: manual
            instructions: x
            expect: a
            revoke_check: { provider: http, url: "\(server.url("/v1/balance"))", headers: { Authorization: "Bearer {{value}}" } }
            """)
        let pending = await #expect(throws: RevokePending.self) { try await manual.proveRevoked(SecretValue(alive), clock: SystemClock()) }
        #expect(pending?.description.contains("still works") == true && pending?.description.contains("HTTP 200") == true)
        #expect(pending?.description.contains(alive) == false)
        let dead = "rk_live_DEADDEADDEADDEADDEADDEAD"
        let proof = try await manual.proveRevoked(SecretValue(dead), clock: SystemClock())
        #expect(proof.contains("HTTP 401") && !proof.contains(dead))
        let closed = try await TestHTTPServer.closedPort()
        let unreachable = try source("""
            provider: manual
            instructions: x
            expect: a
            revoke_check: { provider: http, url: "http://127.0.0.1:\(closed)/v1/balance", headers: { Authorization: "Bearer {{value}}" } }
            """)
        let failed = await #expect(throws: RevokePending.self) { try await unreachable.proveRevoked(SecretValue(dead), clock: SystemClock()) }
        #expect(failed?.description.contains("failed") == true && failed?.description.contains(dead) == false)
    }

    @Test func mintReturnsOnlyASuppliedValue() async throws {
        let manual = try source(Self.stripe)
        await #expect(throws: ValueRefusal.self) { try await manual.mint(stepContext()) }
        let supplied = manual.supplying(SecretValue("rk_live_x"))
        #expect(try await supplied.mint(stepContext()).value == SecretValue("rk_live_x"))
    }
}
