import Foundation
import ProviderGitHubApp
import RotorCore
import RotorCrypto
import RotorHTTP
import RotorSandbox
import RotorTestSupport
import Testing

/// The `github-app` check against the sandbox's GitHub App, with real RS256 signatures: a newly generated key
/// passes; a deleted key, the wrong issuer, an expired or too-long JWT are refused with 401 as GitHub refuses them;
/// a bad PEM fails clearly without quoting the value; nothing secret reaches the logs.
@Suite("GitHub App check")
struct GitHubAppCheckTests {
    static let appID = "1029384"
    static let clientID = "Iv23liRotorSandbox01"

    func check(_ h: AdapterHarness, _ fields: [String: ConfigValue] = [:], dropping dropped: String? = nil) -> GitHubAppCheck {
        var all: [String: ConfigValue] = ["app_id": .string(Self.appID), "api_url": .string(h.baseURL + "/github")]
        all.merge(fields) { $1 }
        if let dropped { all[dropped] = nil }
        return GitHubAppCheck(config: ProviderConfig(provider: "github-app", kind: .check, index: 0, label: "github-app", fields: all,
                                                     location: PlaybookLocation(file: "test.yml", line: 1, column: 1)),
                              client: HTTPClient(logger: CapturingLogHandler.logger("rotor.http", into: h.logs)))
    }

    func context(_ h: AdapterHarness, clock: any RotorClock = SystemClock()) -> StepContext {
        StepContext(secret: "github-app-private-key", rotationID: "rot_test", step: .verify(0), idempotencyKey: "k",
                    logger: CapturingLogHandler.logger("rotor.step", into: h.logs), clock: clock)
    }

    /// "Generate a private key" in the App's settings: the PEM (shown once) and the key's id.
    static func generateKey(_ h: AdapterHarness) async throws -> (pem: String, id: Int) {
        let answer = try await h.send(.POST, "/_sandbox/github/app/keys", json: "{}")
        #expect(answer.status == 201)
        let body = try #require(answer.body as? [String: Any])
        return (try #require(body["pem"] as? String), try #require(body["id"] as? Int))
    }

    /// `GET /github/app` with `Authorization: Bearer jwt`: the status and GitHub's message.
    static func getApp(_ h: AdapterHarness, jwt: String?) async throws -> (status: Int, message: String?) {
        var request = HTTPRequest(method: .GET, url: h.baseURL + "/github/app")
        if let jwt { request.headers.add(name: "Authorization", value: "Bearer \(jwt)") }
        let response = try await h.client.execute(request)
        let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        if response.status == 401 { #expect(body?["documentation_url"] as? String == "https://docs.github.com/rest") }
        return (response.status, body?["message"] as? String)
    }

    @Test func aNewKeyPassesAndOnceDeletedGets401WhichTheOldKeyCheckExpects() async throws {
        try await AdapterHarness.with { h in
            let old = try await Self.generateKey(h)
            let new = try await Self.generateKey(h)
            try await check(h).verify(SecretValue(new.pem), context(h))
            try await check(h).verify(SecretValue(old.pem), context(h))
            try await check(h, ["client_id": .string(Self.clientID)], dropping: "app_id")
                .verify(SecretValue(new.pem), context(h))

            #expect(try await h.send(.DELETE, "/_sandbox/github/app/keys/\(old.id)").status == 200)
            #expect(try await h.send(.DELETE, "/_sandbox/github/app/keys/\(old.id)").status == 404)
            let refused = try await expectError(GitHubAppCheckError.self) { try await check(h).verify(SecretValue(old.pem), context(h)) }
            #expect(refused.description.contains("HTTP 401, expected 200"), "\(refused)")
            #expect(refused.description.contains("could not be decoded"), "GitHub's message is shown: \(refused)")
            // The revoke check: the old key now gets 401, as expected.
            try await check(h, ["expect_status": .int(401)]).verify(SecretValue(old.pem), context(h))
            try await check(h).verify(SecretValue(new.pem), context(h))
            let everything = h.logs.all.joined(separator: "\n") + refused.description
            for secret in [old.pem, new.pem] {
                #expect(!everything.contains(String(secret.dropFirst(40).prefix(60))), "a private key reached the logs or an error")
            }
        }
    }

    @Test func theWrongIssuerAnExpiredOrFutureJWTIsRefusedWith401() async throws {
        try await AdapterHarness.with { h in
            let key = SecretValue(try await Self.generateKey(h).pem)
            let wrongApp = try await expectError(GitHubAppCheckError.self) {
                try await check(h, ["app_id": .string("999")]).verify(key, context(h))
            }
            #expect(wrongApp.description.contains("HTTP 401") && wrongApp.description.contains("iss"), "\(wrongApp)")
            // A clock an hour slow signs a JWT that expired 51 minutes ago.
            let expired = try await expectError(GitHubAppCheckError.self) {
                try await check(h).verify(key, context(h, clock: TestClock(Date().addingTimeInterval(-3600))))
            }
            #expect(expired.description.contains("HTTP 401") && expired.description.contains("'Expiration time'"), "\(expired)")
            let future = try await expectError(GitHubAppCheckError.self) {
                try await check(h).verify(key, context(h, clock: TestClock(Date().addingTimeInterval(600))))
            }
            #expect(future.description.contains("HTTP 401") && future.description.contains("'Issued at'"), "\(future)")
        }
    }

    @Test func theSandboxChecksTheJWTAsStrictlyAsGitHub() async throws {
        try await AdapterHarness.with { h in
            let pem = try await Self.generateKey(h).pem
            let key = try RSAPrivateKey(pem: pem)
            let now = Int(Date().timeIntervalSince1970)
            func signed(_ claims: String) throws -> String { try RS256Token.sign(claims: claims, with: key) }
            #expect(try await Self.getApp(h, jwt: try signed(#"{"iat":\#(now - 60),"exp":\#(now + 540),"iss":\#(Self.appID)}"#)).status == 200)
            #expect(try await Self.getApp(h, jwt: try signed(#"{"iat":\#(now - 60),"exp":\#(now + 540),"iss":"\#(Self.appID)"}"#)).status == 200)
            let tooLong = try await Self.getApp(h, jwt: try signed(#"{"iat":\#(now - 60),"exp":\#(now + 660),"iss":\#(Self.appID)}"#))
            #expect(tooLong.status == 401 && tooLong.message?.contains("too far in the future") == true)
            for claims in [#"{"exp":\#(now + 540),"iss":\#(Self.appID)}"#, #"{"iat":"x","exp":\#(now + 540),"iss":\#(Self.appID)}"#,
                           #"{"iat":\#(now - 60),"iss":\#(Self.appID)}"#, #"{"iat":\#(now - 60),"exp":\#(now + 540)}"#,
                           #"{"iat":\#(now - 60),"exp":\#(now + 540),"iss":true}"#, "[]", "null"] {
                #expect(try await Self.getApp(h, jwt: try signed(claims)).status == 401, "\(claims)")
            }
            // Another key (never registered), alg none or HS256, garbage and a huge header: 401, never 500.
            let stranger = try RS256Token.sign(claims: #"{"iat":\#(now - 60),"exp":\#(now + 540),"iss":\#(Self.appID)}"#,
                                               with: try RSAPrivateKey.generate())
            let parts = try signed(#"{"iat":\#(now - 60),"exp":\#(now + 540),"iss":\#(Self.appID)}"#).split(separator: ".")
            let none = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + parts[1] + "." + parts[2]
            let hs256 = Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + parts[1] + "." + parts[2]
            for jwt in [stranger, none, hs256, "", "a.b.c", String(repeating: "x", count: 7_000), nil] {
                let answer = try await Self.getApp(h, jwt: jwt)
                #expect(answer.status == 401 && answer.message == "A JSON web token could not be decoded")
            }
        }
    }

    @Test func aBadPEMFailsClearlyWithoutQuotingTheValue() async throws {
        try await AdapterHarness.with { h in
            let canary = "-----BEGIN RSA PRIVATE KEY-----\nCANARYnotAKeyAtAll0123456789\n-----END RSA PRIVATE KEY-----"
            for text in [canary, "ghp_CANARYpersonalAccessToken", String(repeating: "CANARY", count: 3_000)] {
                let error = try await expectError(GitHubAppCheckError.self) { try await check(h).verify(SecretValue(text), context(h)) }
                #expect(error.description.contains("not a PEM private key"), "\(error)")
                #expect(!error.description.contains("CANARY"))
            }
            #expect(!h.logs.all.joined().contains("CANARY"))
        }
    }

    @Test func keysAreCappedAt25LikeGitHub() async throws {
        try await AdapterHarness.with { h in
            for _ in 0..<25 { #expect(try await h.send(.POST, "/_sandbox/github/app/keys", json: "{}").status == 201) }
            #expect(try await h.send(.POST, "/_sandbox/github/app/keys", json: "{}").status == 422)
            #expect(try await h.send(.POST, "/_sandbox/github/app/keys").status == 415, "the admin call takes JSON only")
            #expect(try await h.send(.DELETE, "/_sandbox/github/app/keys/nope").status == 404)
            let listing = try #require(try await h.send(.GET, "/_sandbox/github/app/keys").body as? [String: Any])
            #expect((listing["keys"] as? [Any])?.count == 25)
            #expect(!"\(listing)".contains("PRIVATE KEY"), "the sandbox keeps only public halves")
        }
    }
}
