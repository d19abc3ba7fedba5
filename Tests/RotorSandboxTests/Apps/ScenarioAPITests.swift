import Testing
@testable import RotorSandbox

/// The Swift API of the admin scenarios, for in-process tests of adapters.
@Suite("Sandbox scenario API")
struct ScenarioAPITests {
    @Test func theSwiftScenariosMatchTheAdminCalls() async throws {
        try await SandboxHarness.with { h in
            let head = try await h.sandbox.pushCommit(service: "srv-api", commit: "1234567abcdef")
            #expect(head == "1234567abcdef")
            let state = try await h.send(.GET, "/_sandbox/state")
            #expect(try state["render"].require("services").array().first?["branch_head"] == "1234567abcdef")
            await #expect(throws: SandboxError.self) { try await h.sandbox.pushCommit(service: "srv-worker") }

            // A single deployment has nothing older to roll back to.
            await #expect(throws: SandboxError.self) { try await h.sandbox.instantRollback(project: "web-app") }
            try await h.sandbox.createPreview(project: "web-app", branch: "fix-1")
            try await h.eventually("the preview app answers") { await h.sandbox.isHealthy(app: "web-app-preview-fix-1") }

            await h.sandbox.setVercelListsEnvIds(false)
            #expect(try await h.vercel(.GET, "/v10/projects/web-app/env")["envs"].array().allSatisfy { $0["id"] == nil })
            #expect(await h.sandbox.onePasswordValue(label: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }
}
