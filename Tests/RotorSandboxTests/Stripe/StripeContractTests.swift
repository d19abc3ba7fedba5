import Foundation
import Testing
@testable import RotorSandbox

/// vendor-keys.md "Stripe": no API rolls a key; the Dashboard does (here `POST /_sandbox/stripe/roll`), letting the old
/// key live up to 7 days; `GET /v1/balance` with `Authorization: Bearer <key>` tells whether a key works (401 when dead).
@Suite("Stripe emulation")
struct StripeContractTests {
    private func roll(_ h: SandboxHarness, expiresIn: Int) async throws -> (key: String, reply: Reply) {
        let reply = try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_in_seconds":\#(expiresIn)}"#)
        return (reply.json?["key"]?.stringValue ?? "", reply)
    }

    @Test func aRolledKeyWorksAndTheOldOneExpiresWhenTheOwnerChose() async throws {
        let clock = ManualClock()
        try await SandboxHarness.with(clock: clock) { h in
            #expect(try await h.send(.GET, "/stripe/v1/balance").status == 401, "no key")
            #expect(try await h.send(.GET, "/stripe/v1/balance", token: "rk_test_never_issued").status == 401)
            let (first, created) = try await roll(h, expiresIn: 0)
            #expect(created.status == 201)
            #expect(first.hasPrefix("rk_test_"))
            let balance = try await h.send(.GET, "/stripe/v1/balance", token: first)
            #expect(balance.status == 200)
            #expect(try balance["object"] == "balance")

            let (second, _) = try await roll(h, expiresIn: 3_600)
            #expect(try await h.send(.GET, "/stripe/v1/balance", token: first).status == 200, "the old key lives until its expiry")
            #expect(try await h.send(.GET, "/stripe/v1/balance", token: second).status == 200)
            clock.advance(by: .seconds(3_601))
            let dead = try await h.send(.GET, "/stripe/v1/balance", token: first)
            #expect(dead.status == 401)
            #expect(dead.json?["error"]?["type"] == "invalid_request_error")
            #expect(dead.json?.serialized.contains(first) == false, "the key is not echoed")
            #expect(try await h.send(.GET, "/stripe/v1/balance", token: second).status == 200)
        }
    }

    @Test func anExpiryAtATimeAndStripesErrorsForExpiredUnknownAndMissingKeys() async throws {
        let clock = ManualClock()
        try await SandboxHarness.with(clock: clock) { h in
            let (first, _) = try await roll(h, expiresIn: 0)
            let at = Int(clock.now.timeIntervalSince1970) + 7_200
            let rolled = try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_at":\#(at)}"#)
            #expect(rolled.status == 201 && rolled.json?["old_expires_at"]?.intValue == at)
            #expect(try await h.send(.GET, "/stripe/v1/balance", token: first).status == 200)
            clock.advance(by: .seconds(7_201))
            let expired = try await h.send(.GET, "/stripe/v1/balance", token: first)
            #expect(expired.status == 401)
            #expect(expired.json?["error"]?["code"] == "api_key_expired")
            #expect(expired.json?["error"]?["type"] == "invalid_request_error")
            let message = expired.json?["error"]?["message"]?.stringValue ?? ""
            #expect(message.hasPrefix("Expired API Key provided: rk_test_*") && message.hasSuffix(String(first.suffix(4))), "\(message)")
            #expect(!(expired.json?.serialized.contains(first) ?? true), "the key is named by prefix and last 4 only")

            let unknown = try await h.send(.GET, "/stripe/v1/balance", token: "rk_test_never_issued_0000")
            #expect(unknown.status == 401 && unknown.json?["error"]?["code"] == nil)
            #expect(unknown.json?["error"]?["message"]?.stringValue?.hasPrefix("Invalid API Key provided") == true)
            let missing = try await h.send(.GET, "/stripe/v1/balance")
            #expect(missing.json?["error"]?["message"]?.stringValue?.contains("did not provide an API key") == true)
            let hostile = try await h.send(.GET, "/stripe/v1/balance", token: String(repeating: "x<", count: 5_000))
            #expect(hostile.status == 401 && !(hostile.json?.serialized.contains("x<x<") ?? true))

            let past = Int(clock.now.timeIntervalSince1970) - 10
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_at":\#(past)}"#).status == 400)
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_at":\#(at + 8 * 86_400)}"#).status == 400)
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_at":1,"expires_in_seconds":1}"#).status == 400)
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_at":"tomorrow"}"#).status == 400)
        }
    }

    @Test func theDashboardRefusesAnExpiryBeyondSevenDaysAndBadBodies() async throws {
        try await SandboxHarness.with { (h: SandboxHarness) async throws -> Void in
            #expect(try await roll(h, expiresIn: 8 * 86_400).reply.status == 400)
            #expect(try await roll(h, expiresIn: -1).reply.status == 400)
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", json: "[1,2]").status == 400)
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", json: #"{"expires_in_seconds":"soon"}"#).status == 400)
            let huge = try await h.send(.POST, "/_sandbox/stripe/roll", json: "{" + String(repeating: "\"a\":1,", count: 50_000) + "\"b\":1}")
            #expect(huge.status < 500, "a huge body is answered, not a crash")
            #expect(try await h.send(.POST, "/_sandbox/stripe/roll", headers: [("Content-Type", "application/x-www-form-urlencoded")]).status == 415)
        }
    }
}
