import Testing
@testable import RotorSandbox

/// `reference/vercel-api.md` "Access tokens" and "Errors and limits" (403 `forbidden`).
@Suite("Vercel access token contract")
struct VercelTokenContractTests {
    // "Access tokens": POST /v3/user/tokens → {"token":{"id",…},"bearerToken"}; DELETE /v3/user/tokens/{id} revokes.
    @Test func aMintedTokenWorksUntilDeletedThenGets403() async throws {
        try await SandboxHarness.with { h in
            let minted = try await h.vercel(.POST, "/v3/user/tokens", json: #"{"name":"rotor-next"}"#)
            #expect(minted.status == 200)
            let id = try minted["token"].string("id")
            #expect(try minted["token"]["name"] == "rotor-next")
            let bearer = try minted.json!.string("bearerToken")
            #expect(!(try minted["token"].serialized.contains(bearer)))

            #expect(try await h.vercel(.GET, "/v10/projects/web-app/env", token: bearer).status == 200)
            let deleted = try await h.vercel(.DELETE, "/v3/user/tokens/\(id)", token: bearer)
            #expect(deleted.status == 200)
            let refused = try await h.vercel(.GET, "/v10/projects/web-app/env", token: bearer)
            #expect(refused.status == 403)
            #expect(refused.json?["error"]?["code"] == "forbidden")
            #expect(try await h.vercel(.DELETE, "/v3/user/tokens/\(id)").status == 404)
            // The world's token is untouched.
            #expect(try await h.vercel(.GET, "/v10/projects/web-app/env").status == 200)
        }
    }

    // "Access tokens": `expiresAt` (epoch ms) is optional; a time in the past is refused.
    @Test func expiresAtMustBeInTheFuture() async throws {
        try await SandboxHarness.with { h in
            let past = try await h.vercel(.POST, "/v3/user/tokens", json: #"{"name":"old","expiresAt":1000}"#)
            #expect(past.status == 400)
            #expect(past.json?["error"]?["code"] == "bad_request")
            let future = try await h.vercel(.POST, "/v3/user/tokens", json: #"{"name":"later","expiresAt":4102444800000}"#)
            #expect(future.status == 200)
            #expect(try future["token"]["expiresAt"] == 4_102_444_800_000)
        }
    }
}
