import Testing
@testable import RotorSandbox

/// `reference/render-api.md` "Corrections and additions": what a deploy builds.
@Suite("Render deploy source contract")
struct RenderDeploySourceContractTests {
    // "A deploy without commitId builds the head of the connected branch, not what is live": it ships unreleased code.
    @Test func aDeployWithoutCommitIdShipsTheBranchHead() async throws {
        try await SandboxHarness.with { h in
            let liveCommit = try await liveDeploy(h, "srv-api").require("commit").string("id")
            let head = try await branchHead(h, "srv-api")
            #expect(head != liveCommit)
            let id = try await deploy(h, "srv-api", json: nil)
            try await h.eventually("the deploy is live") { try await liveDeploy(h, "srv-api").string("id") == id }
            #expect(try await liveDeploy(h, "srv-api").require("commit").string("id") == head)
        }
    }

    // "To redeploy what is live, find the live deploy (…?status=live&limit=1 → deploy.commit.id) and pass its commitId".
    @Test func aDeployWithTheLiveCommitIdKeepsTheLiveCommit() async throws {
        try await SandboxHarness.with { h in
            let liveCommit = try await liveDeploy(h, "srv-api").require("commit").string("id")
            let id = try await deploy(h, "srv-api", json: #"{"commitId":"\#(liveCommit)"}"#)
            try await h.eventually("the deploy is live") { try await liveDeploy(h, "srv-api").string("id") == id }
            #expect(try await liveDeploy(h, "srv-api").require("commit").string("id") == liveCommit)
            let unknown = try await h.render(.POST, "/services/srv-api/deploys", json: #"{"commitId":"0123456789abcdef0123456789abcdef01234567"}"#)
            #expect(unknown.status == 400)
        }
    }

    // An admin push moves the branch head; the next deploy without commitId builds it.
    @Test func aPushMovesTheBranchHead() async throws {
        try await SandboxHarness.with { h in
            let pushed = try await h.send(.POST, "/_sandbox/render/services/srv-api/push", json: #"{"commit":"abcdef1234567890abcdef1234567890abcdef12"}"#)
            #expect(pushed.status == 200)
            #expect(try await branchHead(h, "srv-api") == "abcdef1234567890abcdef1234567890abcdef12")
            let id = try await deploy(h, "srv-api", json: "{}")
            try await h.eventually("the deploy is live") { try await liveDeploy(h, "srv-api").string("id") == id }
            #expect(try await liveDeploy(h, "srv-api").require("commit").string("id") == "abcdef1234567890abcdef1234567890abcdef12")
        }
    }

    // "… or deploy.image.ref for image-backed services … and pass its imageUrl".
    @Test func anImageBackedServiceDeploysImagesNotCommits() async throws {
        try await SandboxHarness.with { h in
            let live = try await liveDeploy(h, "srv-worker")
            let ref = try live.require("image").string("ref")
            #expect(live["commit"] == .null)
            #expect(try await h.render(.POST, "/services/srv-worker/deploys", json: #"{"commitId":"abcdef1"}"#).status == 400)
            #expect(try await h.render(.POST, "/services/srv-api/deploys", json: #"{"imageUrl":"\#(ref)"}"#).status == 400)
            let next = ref.split(separator: ":").dropLast().joined(separator: ":") + ":1.5.0"
            let id = try await deploy(h, "srv-worker", json: #"{"imageUrl":"\#(next)"}"#)
            try await h.eventually("the deploy is live") { try await liveDeploy(h, "srv-worker").string("id") == id }
            #expect(try await liveDeploy(h, "srv-worker").require("image").string("ref") == next)
        }
    }

    // "deployMode: deploy_only exists (no build) and cannot be combined with clearCache".
    @Test func deployOnlyCannotBeCombinedWithClearCacheAndRedeploysTheLiveBuild() async throws {
        try await SandboxHarness.with { h in
            for cache in ["clear", "do_not_clear"] {
                let refused = try await h.render(.POST, "/services/srv-api/deploys", json: #"{"deployMode":"deploy_only","clearCache":"\#(cache)"}"#)
                #expect(refused.status == 400)
                #expect(refused.json?["message"]?.stringValue?.isEmpty == false)
            }
            let liveCommit = try await liveDeploy(h, "srv-api").require("commit").string("id")
            let id = try await deploy(h, "srv-api", json: #"{"deployMode":"deploy_only"}"#)
            try await h.eventually("the deploy is live") { try await liveDeploy(h, "srv-api").string("id") == id }
            #expect(try await liveDeploy(h, "srv-api").require("commit").string("id") == liveCommit)
        }
    }

    // "Values are readable": service and env-group variables come back in plain text.
    @Test func serviceAndGroupValuesComeBackInPlainText() async throws {
        try await SandboxHarness.with { h in
            #expect(try await h.render(.GET, "/services/srv-api/env-vars/OPENAI_API_KEY")["value"] == .string(h.sandbox.initialKey))
            let list = try await h.render(.GET, "/services/srv-api/env-vars")
            #expect(try list.json?.array().first?["envVar"]?["value"] == .string(h.sandbox.initialKey))
            let group = try await h.render(.GET, "/env-groups/evg-shared")
            #expect(try group["envVars"].array().contains { $0["value"] == .string(h.sandbox.initialKey) })
        }
    }

    private func liveDeploy(_ h: SandboxHarness, _ service: String) async throws -> JSONValue {
        let reply = try await h.render(.GET, "/services/\(service)/deploys?status=live&limit=1")
        return try #require(try reply.json?.array().first?["deploy"], "\(reply.text)")
    }

    private func branchHead(_ h: SandboxHarness, _ service: String) async throws -> String {
        let state = try await h.send(.GET, "/_sandbox/state")
        return try #require(try state["render"].require("services").array().first { $0["id"] == .string(service) }).string("branch_head")
    }

    private func deploy(_ h: SandboxHarness, _ service: String, json: String?) async throws -> String {
        let reply = try await h.render(.POST, "/services/\(service)/deploys", json: json)
        try #require(reply.status == 201, "\(reply.text)")
        return try reply.json!.string("id")
    }
}
