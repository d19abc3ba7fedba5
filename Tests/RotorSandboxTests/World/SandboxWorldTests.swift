import Foundation
import Testing
@testable import RotorSandbox

/// The default world and world files (`rotor sandbox --world FILE`).
@Suite("Sandbox worlds")
struct SandboxWorldTests {
    @Test func theDefaultWorldIsTheDocumentedOne() throws {
        let world = SandboxWorld.default
        #expect(world.vercel.token == "sandbox-vercel-token")
        #expect(world.vercel.projects.map(\.name) == ["web-app", "docs-site"])
        #expect(world.vercel.projects.map(\.id) == ["prj_webapp", "prj_docssite"])
        #expect(world.render.token == "sandbox-render-token")
        #expect(world.render.services.map(\.id) == ["srv-api", "srv-worker"])
        #expect(world.render.envGroups.map(\.id) == ["evg-shared"])
        #expect(world.render.envGroups.first?.services == ["srv-api", "srv-worker"])
        #expect(world.vendor.adminToken == "sandbox-vendor-admin")
        #expect(world.appKey == "OPENAI_API_KEY")
        #expect(world.render.rateLimits.deploysPerMinute == 10)
        try world.validate()
    }

    @Test func aYAMLWorldFileAddsProjectsServicesAndSetsTheInitialKey() async throws {
        let yaml = """
            initial_key: sk-sandbox-from-file
            vercel:
              projects:
            \((1...25).map { "    - { id: prj_app\($0), name: app-\($0) }" }.joined(separator: "\n"))
            render:
              rate_limits: { deploys_per_minute: 100, writes_per_minute: 1000 }
              services:
            \((1...25).map { "    - { id: srv-app\($0), name: app\($0) }" }.joined(separator: "\n"))
              env_groups: []
            """
        let world = try Sandbox.loadWorld(file: try write(yaml, named: "world.yaml"))
        #expect(world.initialKey == "sk-sandbox-from-file")
        #expect(world.vercel.projects.count == 25)
        #expect(world.render.services.count == 25)
        #expect(world.render.rateLimits.deploysPerMinute == 100)
        #expect(world.render.rateLimits.readsPerMinute == 400)
        #expect(world.vercel.token == "sandbox-vercel-token")

        try await SandboxHarness.with(world: world) { (h: SandboxHarness) async throws in
            #expect(h.sandbox.initialKey == "sk-sandbox-from-file")
            #expect(try await h.send(.GET, "/apps/app-25/health").status == 200)
            #expect(try await h.send(.GET, "/apps/srv-app25/health").status == 200)
            #expect(try await h.vercel(.GET, "/v10/projects/prj_app7/env").status == 200)
        }
    }

    @Test func aJSONWorldFileIsReadAsJSON() throws {
        let json = #"{"app_key":"STRIPE_KEY","vendor":{"admin_token":"admin-2"},"render":{"token":"rnd-2"}}"#
        let world = try Sandbox.loadWorld(file: try write(json, named: "world.json"))
        #expect(world.appKey == "STRIPE_KEY")
        #expect(world.vendor.adminToken == "admin-2")
        #expect(world.render.token == "rnd-2")
        #expect(world.render.services.count == 2)
    }

    @Test func aTypoInAKeyIsAnErrorThatSuggestsTheKnownKey() throws {
        let path = try write("render:\n  rate_limits: { deploys_per_minut: 5 }\n", named: "typo.yaml")
        let error = try #require(throws: SandboxWorldError.self) { try Sandbox.loadWorld(file: path) }
        #expect(error.source == path)
        #expect(error.description.contains("render.rate_limits.deploys_per_minut"))
        #expect(error.description.contains("did you mean 'deploys_per_minute'"))
    }

    @Test func anInconsistentWorldListsEveryProblem() throws {
        let yaml = """
            vercel:
              projects: [{ id: web, name: Web App }, { id: prj_x, name: x, team_id: team_missing }]
            render:
              services: [{ id: srv-api }, { id: srv-api }]
              env_groups: [{ id: evg-a, services: [srv-ghost] }]
            """
        let error = try #require(throws: SandboxWorldError.self) { try Sandbox.loadWorld(file: try write(yaml, named: "bad.yaml")) }
        #expect(error.problems.count >= 5)
        #expect(error.problems.contains { $0.contains("'web' must start with 'prj_'") })
        #expect(error.problems.contains { $0.contains("team_missing") })
        #expect(error.problems.contains { $0.contains("'srv-api' appears more than once") })
        #expect(error.problems.contains { $0.contains("srv-ghost") })
    }

    @Test func aMissingFileSaysSo() throws {
        let error = try #require(throws: SandboxWorldError.self) { try Sandbox.loadWorld(file: "/nonexistent/world.yaml") }
        #expect(error.description.contains("/nonexistent/world.yaml"))
        #expect(error.description.contains("cannot read"))
    }

    @Test func theSwiftFaultAPIMatchesTheJSONOne() async throws {
        try await SandboxHarness.with { h in
            try await h.sandbox.inject(.unhealthy(app: "docs-site"))
            #expect(!(await h.sandbox.isHealthy(app: "docs-site")))
            await #expect(throws: SandboxError.self) { try await h.sandbox.inject(.failDeploy(service: "srv-nope")) }
            await h.sandbox.clearFaults()
            #expect(await h.sandbox.isHealthy(app: "docs-site"))
        }
    }

    @Test func startingTwiceIsAnErrorAndStopAllowsAStartAgain() async throws {
        let sandbox = Sandbox()
        let port = try await sandbox.start()
        #expect(sandbox.baseURL == "http://127.0.0.1:\(port)")
        await #expect(throws: SandboxError.self) { _ = try await sandbox.start() }
        await sandbox.stop()
        let again = try await sandbox.start()
        #expect(again > 0)
        await sandbox.stop()
    }

    private func write(_ text: String, named name: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-sandbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}
