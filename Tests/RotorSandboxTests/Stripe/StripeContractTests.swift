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
