import Testing
@testable import RotorSandbox

/// The simulated apps and the `/_sandbox` admin endpoints.
@Suite("Apps and admin endpoints")
struct AppsAndAdminTests {
    @Test func everyAppOfTheDefaultWorldStartsHealthyOnTheInitialKey() async throws {
        try await SandboxHarness.with { h in
            for app in ["web-app", "docs-site", "srv-api", "srv-worker"] {
                let health = try await h.send(.GET, "/apps/\(app)/health")
                #expect(health.status == 200, "\(app): \(health.text)")
                #expect(health.json?["status"] == "ok")
                #expect(await h.sandbox.liveValue(app: app, key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            }
            #expect(await h.sandbox.envValue(envGroup: "evg-shared", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(try await h.send(.GET, "/apps/nope/health").status == 404)
        }
    }

    @Test func theAppPageShowsTheLiveFingerprintNeverTheValue() async throws {
        try await SandboxHarness.with { h in
            let page = try await h.send(.GET, "/apps/srv-api")
            #expect(page.status == 200)
            #expect(!page.text.contains(h.sandbox.initialKey))
            let fingerprint = try #require(try page["live_fingerprint"].stringValue)
            #expect(fingerprint.count == 8 && fingerprint.allSatisfy(\.isHexDigit))
            #expect(try page["healthy"] == true)
        }
    }

    @Test func anAppIsUnhealthyWhenItsLiveKeyIsNotAVendorKey() async throws {
        try await SandboxHarness.with { h in
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-made-up"}"#)
            let id = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            try await h.eventually("the deploy is live") {
                try await h.render(.GET, "/services/srv-api/deploys/\(id)").json?["status"] == "live"
            }
            let health = try await h.send(.GET, "/apps/srv-api/health")
            #expect(health.status == 503)
            #expect(!health.text.contains("sk-made-up"))
        }
    }

    @Test func stateShowsTheInitialKeyAndFingerprintsOnly() async throws {
        try await SandboxHarness.with { h in
            let state = try await h.send(.GET, "/_sandbox/state")
            #expect(state.status == 200)
            #expect(try state["initial_key"] == .string(h.sandbox.initialKey))
            // Apart from initial_key the value appears nowhere.
            #expect(state.text.components(separatedBy: h.sandbox.initialKey).count == 2)
            #expect(try state["vercel"].require("projects").array().map { $0["name"] } == ["web-app", "docs-site"])
            #expect(try state["render"].require("services").array().map { $0["id"] } == ["srv-api", "srv-worker"])
            #expect(try state["render"].require("env_groups").array().first?["services"] == ["srv-api", "srv-worker"])
            #expect(try state["apps"].array().allSatisfy { $0["healthy"] == true })
        }
    }

    @Test func unhealthyAndLatencyFaultsApplyUntilCleared() async throws {
        try await SandboxHarness.with { h in
            try await h.inject(#"{"kind":"unhealthy","app":"web-app"}"#)
            #expect(try await h.send(.GET, "/apps/web-app/health").status == 503)
            #expect(try await h.send(.GET, "/apps/docs-site/health").status == 200)

            try await h.inject(#"{"kind":"latency","ms":150,"target":"vendor"}"#)
            let clock = ContinuousClock()
            let started = clock.now
            _ = try await h.send(.GET, "/vendor/whoami")
            #expect(clock.now - started >= .milliseconds(150))

            let listed = try await h.send(.GET, "/_sandbox/faults")
            #expect(try listed["faults"].array().count == 2)
            #expect(try await h.send(.DELETE, "/_sandbox/faults").status == 200)
            #expect(try await h.send(.GET, "/apps/web-app/health").status == 200)
        }
    }

    @Test func invalidFaultsAndNonJSONBodiesAreRefused() async throws {
        try await SandboxHarness.with { h in
            for body in [#"{"kind":"explode"}"#, #"{"kind":"status","status":700}"#, #"{"kind":"fail_deploy","service":"srv-nope"}"#,
                         #"{"kind":"unhealthy","app":"ghost"}"#, #"{"kind":"latency","ms":5,"colour":"red"}"#] {
                let reply = try await h.send(.POST, "/_sandbox/faults", json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.json?["error"]?["message"]?.stringValue?.isEmpty == false)
            }
            let form = try await h.send(.POST, "/_sandbox/faults", headers: [("Content-Type", "application/x-www-form-urlencoded")])
            #expect(form.status == 415)
        }
    }

    @Test func resetRestoresTheStartingWorld() async throws {
        try await SandboxHarness.with { h in
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-changed"}"#)
            try await h.render(.POST, "/services/srv-api/deploys")
            try await h.inject(#"{"kind":"unhealthy","app":"srv-api"}"#)
            let reset = try await h.send(.POST, "/_sandbox/reset")
            #expect(reset.status == 200)
            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await h.sandbox.deployCount(service: "srv-api") == 0)
            #expect(await h.sandbox.isHealthy(app: "srv-api"))
        }
    }
}
