import Testing
@testable import RotorSandbox

/// The key-issuing vendor: mint (idempotent), revoke (404 once revoked, as real vendors answer), whoami.
@Suite("Vendor key API contract")
struct VendorContractTests {
    private let admin = SandboxHarness.vendorAdmin

    @Test func mintAnswers201WithIdValueAndCreatedAt() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.send(.POST, "/vendor/keys", token: admin, json: #"{"name":"rotation-1"}"#)
            #expect(reply.status == 201)
            #expect(try reply["id"].stringValue?.hasPrefix("key_") == true)
            let value = try #require(try reply["value"].stringValue)
            #expect(value.hasPrefix("sk-sandbox-"))
            #expect(try reply["created_at"].intValue != nil)
            #expect(await h.sandbox.isVendorKeyLive(value))
            let whoami = try await h.send(.GET, "/vendor/whoami", token: value)
            #expect(whoami.status == 200)
            #expect(try whoami["id"] == reply["id"])
            #expect(!whoami.text.contains(value))
        }
    }

    @Test func theSameIdempotencyKeyGivesTheSameResponseAndOneKey() async throws {
        try await SandboxHarness.with { h in
            let headers = [("Idempotency-Key", "rot_123-generate")]
            let first = try await h.send(.POST, "/vendor/keys", token: admin, json: "{}", headers: headers)
            let second = try await h.send(.POST, "/vendor/keys", token: admin, json: "{}", headers: headers)
            #expect(first.status == 201 && second.status == 201)
            #expect(first.json == second.json)
            let other = try await h.send(.POST, "/vendor/keys", token: admin, json: "{}", headers: [("Idempotency-Key", "rot_124")])
            #expect(try other["id"] != first["id"])
            let state = try await h.send(.GET, "/_sandbox/state")
            #expect(try state["vendor"].require("keys").array().count == 3) // the initial key and two minted
            let reused = try await h.send(.POST, "/vendor/keys", token: admin, json: #"{"name":"different"}"#, headers: headers)
            #expect(reused.status == 409)
        }
    }

    @Test func mintAndRevokeNeedTheAdminToken() async throws {
        try await SandboxHarness.with { h in
            let missing = try await h.send(.POST, "/vendor/keys", json: "{}")
            #expect(missing.status == 401)
            #expect(missing.json?["error"]?["code"] == "unauthorized")
            #expect(try await h.send(.POST, "/vendor/keys", token: h.sandbox.initialKey, json: "{}").status == 401)
            #expect(try await h.send(.DELETE, "/vendor/keys/key_x", token: "nope").status == 401)
        }
    }

    // vendor-keys.md "OpenAI" / DESIGN.md "The sandbox": a revoke of a revoked key answers as the vendor does;
    // OpenAI answers 404 for a deleted object, so a repeated revoke is 404 with an error body, not 200.
    @Test func revokeMakesWhoamiAnswer401AndARepeatedRevokeIs404() async throws {
        try await SandboxHarness.with { h in
            let minted = try await h.send(.POST, "/vendor/keys", token: admin, json: "{}")
            let id = try minted.json!.string("id"), value = try minted.json!.string("value")
            let revoked = try await h.send(.DELETE, "/vendor/keys/\(id)", token: admin)
            #expect(revoked.status == 200)
            #expect(try revoked["revoked"] == true)
            let again = try await h.send(.DELETE, "/vendor/keys/\(id)", token: admin)
            #expect(again.status == 404)
            #expect(again.json?["error"]?["code"] == "not_found")
            let whoami = try await h.send(.GET, "/vendor/whoami", token: value)
            #expect(whoami.status == 401)
            #expect(whoami.json?["error"]?["code"] == "invalid_api_key")
            #expect(try await h.send(.GET, "/vendor/whoami").status == 401)
            #expect(!(await h.sandbox.isVendorKeyLive(value)))
            #expect(try await h.send(.DELETE, "/vendor/keys/key_unknown", token: admin).status == 404)
        }
    }

    @Test func revokingTheKeyAnAppRunsWithMakesItUnhealthy() async throws {
        try await SandboxHarness.with { h in
            #expect(try await h.send(.GET, "/apps/web-app/health").status == 200)
            let state = try await h.send(.GET, "/_sandbox/state")
            let initialId = try #require(try state["vendor"].require("keys").array().first).string("id")
            #expect(try await h.send(.DELETE, "/vendor/keys/\(initialId)", token: admin).status == 200)
            for app in ["web-app", "docs-site", "srv-api", "srv-worker"] {
                let health = try await h.send(.GET, "/apps/\(app)/health")
                #expect(health.status == 503, "\(app)")
                #expect(health.json?["reason"]?.stringValue?.isEmpty == false)
                #expect(!health.text.contains(h.sandbox.initialKey))
            }
        }
    }
}
