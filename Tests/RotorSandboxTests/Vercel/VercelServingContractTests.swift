import Testing
@testable import RotorSandbox

/// `reference/vercel-api.md` "Corrections and additions": which deployment is served, Instant Rollback,
/// previews, deployment checks, v7 listing.
@Suite("Vercel serving contract")
struct VercelServingContractTests {
    // "Which deployment is served": GET /v9/projects/{p} tells it in `targets.production`.
    @Test func theProjectTellsWhichDeploymentIsServed() async throws {
        try await SandboxHarness.with { h in
            let project = try await h.vercel(.GET, "/v9/projects/web-app")
            #expect(project.status == 200)
            #expect(try project["id"] == "prj_webapp")
            let served = try project["targets"].require("production").string("id")
            #expect(try await latestReady(h) == served)
            #expect(try project["lastRollbackTarget"] == .null)
        }
    }

    // "Which deployment is served": while an Instant Rollback is in force `lastRollbackTarget` is set and new
    // production deployments are not promoted automatically — a redeploy becomes READY but does not go live.
    @Test func anInstantRollbackStopsPromotionOfNewProductionDeployments() async throws {
        try await SandboxHarness.with { h in
            let first = try await latestReady(h)
            try await setKey(h, value: "sk-second")
            let second = try await redeploy(h, from: first)
            try await waitReady(h, second)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == "sk-second")

            let rollback = try await h.send(.POST, "/_sandbox/vercel/projects/web-app/rollback", json: "{}")
            #expect(rollback.status == 200)
            let project = try await h.vercel(.GET, "/v9/projects/web-app")
            #expect(try project["targets"]["production"]?["id"] == .string(first))
            #expect(try project["lastRollbackTarget"]["toDeploymentId"] == .string(first))
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)

            try await setKey(h, value: "sk-third")
            let third = try await redeploy(h, from: second)
            let ready = try await waitReady(h, third)
            #expect(ready["aliasAssigned"] == false)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(try await h.vercel(.GET, "/v9/projects/web-app")["targets"]["production"]?["id"] == .string(first))

            // Undoing the rollback (as promoting does) serves the newest promoted deployment again.
            #expect(try await h.send(.DELETE, "/_sandbox/vercel/projects/web-app/rollback").status == 200)
            #expect(try await h.vercel(.GET, "/v9/projects/web-app")["lastRollbackTarget"] == .null)
        }
    }

    // "Previews": a variable change applies only to deployments created after it; existing previews keep the
    // old value and break once it is revoked.
    @Test func aPreviewKeepsItsOldValueAndBreaksWhenThatValueIsRevoked() async throws {
        try await SandboxHarness.with { h in
            let preview = try await h.send(.POST, "/_sandbox/vercel/projects/web-app/previews", json: #"{"branch":"feature-x"}"#)
            #expect(preview.status == 201)
            try await h.eventually("the preview is ready") { try await h.send(.GET, "/apps/web-app-preview-feature-x/health").status == 200 }

            try await setKey(h, value: "sk-rotated")
            #expect(await h.sandbox.liveValue(app: "web-app-preview-feature-x", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            let state = try await h.send(.GET, "/_sandbox/state")
            let initialId = try #require(try state["vendor"].require("keys").array().first).string("id")
            #expect(try await h.send(.DELETE, "/vendor/keys/\(initialId)", token: SandboxHarness.vendorAdmin).status == 200)
            #expect(try await h.send(.GET, "/apps/web-app-preview-feature-x/health").status == 503)

            // A preview created after the change runs the new value.
            try await h.send(.POST, "/_sandbox/vercel/projects/web-app/previews", json: #"{"branch":"feature-y"}"#)
            try await h.eventually("the new preview is ready") {
                await h.sandbox.liveValue(app: "web-app-preview-feature-y", key: "OPENAI_API_KEY") == "sk-rotated"
            }
        }
    }

    // "Deployment checks": a wait also ends on `checksConclusion: "failed"`.
    @Test func aChecksFaultEndsReadyWithChecksConclusionFailedAndIsNotPromoted() async throws {
        try await SandboxHarness.with { h in
            try await h.inject(#"{"kind":"fail_deploy","project":"web-app","phase":"checks"}"#)
            try await setKey(h, value: "sk-checked")
            let id = try await redeploy(h, from: try await latestReady(h))
            let done = try await waitReady(h, id)
            #expect(done["checksConclusion"] == "failed")
            #expect(done["aliasAssigned"] == false)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    // "Versions": the SDK lists deployments with GET /v7/deployments; v6 still answers.
    @Test func v7ListsDeploymentsAsV6Does() async throws {
        try await SandboxHarness.with { h in
            let query = "?projectId=prj_webapp&target=production&state=READY&limit=1"
            let v7 = try await h.vercel(.GET, "/v7/deployments" + query)
            let v6 = try await h.vercel(.GET, "/v6/deployments" + query)
            #expect(v7.status == 200)
            #expect(try v7["deployments"].array().first?["uid"] == v6["deployments"].array().first?["uid"])
        }
    }

    private func latestReady(_ h: SandboxHarness) async throws -> String {
        let reply = try await h.vercel(.GET, "/v6/deployments?projectId=prj_webapp&target=production&state=READY&limit=1")
        return try #require(try reply["deployments"].array().first).string("uid")
    }

    private func setKey(_ h: SandboxHarness, value: String) async throws {
        let reply = try await h.vercel(.POST, "/v10/projects/web-app/env?upsert=true",
                                       json: #"{"key":"OPENAI_API_KEY","value":"\#(value)","type":"encrypted","target":["production","preview"]}"#)
        try #require(reply.status == 201 && reply.json?["failed"] == [])
    }

    private func redeploy(_ h: SandboxHarness, from source: String) async throws -> String {
        let reply = try await h.vercel(.POST, "/v13/deployments?forceNew=1",
                                       json: #"{"deploymentId":"\#(source)","name":"web-app","target":"production","meta":{"action":"redeploy"}}"#)
        try #require(reply.status == 200, "\(reply.text)")
        return try reply.json!.string("id")
    }

    @discardableResult
    private func waitReady(_ h: SandboxHarness, _ id: String) async throws -> JSONValue {
        var last: JSONValue = nil
        try await h.eventually("\(id) is READY") {
            last = try #require(try await h.vercel(.GET, "/v13/deployments/\(id)").json)
            return last["readyState"] == "READY"
        }
        return last
    }
}
