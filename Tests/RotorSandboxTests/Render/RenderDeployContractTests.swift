import Testing
@testable import RotorSandbox

/// `reference/render-api.md`, "Deploys" and "Errors and limits".
@Suite("Render deploy API contract")
struct RenderDeployContractTests {
    @Test func triggerAnswers201WithADeployThatProgressesToLiveAndOnlyThenSwitchesTheLiveEnv() async throws {
        try await SandboxHarness.with(deployDuration: .milliseconds(2000)) { h in
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-next"}"#)
            let created = try await h.render(.POST, "/services/srv-api/deploys", json: #"{"clearCache":"do_not_clear"}"#)
            #expect(created.status == 201)
            let deploy = try #require(created.json)
            let id = try deploy.string("id")
            #expect(id.hasPrefix("dep-"))
            #expect(deploy["status"] == "created")
            #expect(deploy["trigger"] == "api")
            #expect(deploy["commit"] == .null)
            #expect(deploy["finishedAt"] == .null)
            #expect(try deploy.string("createdAt").hasSuffix("Z"))
            #expect(try deploy.string("updatedAt").hasSuffix("Z"))

            var seen: [String] = []
            try await h.eventually("the deploy is live") {
                // Read before polling: if the deploy is still not live afterwards, it was not then.
                let live = await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY")
                let polled = try await h.render(.GET, "/services/srv-api/deploys/\(id)")
                let status = try polled.json!.string("status")
                if seen.last != status { seen.append(status) }
                if status != "live" {
                    #expect(live == h.sandbox.initialKey)
                }
                return status == "live"
            }
            // Polls on a loaded machine may miss a phase, but never see them out of order.
            let progression = ["created", "build_in_progress", "update_in_progress", "live"]
            let order = seen.compactMap { progression.firstIndex(of: $0) }
            #expect(order.count == seen.count && order == order.sorted(), "\(seen)")
            #expect(seen.contains("build_in_progress") || seen.contains("update_in_progress"), "\(seen)")
            #expect(seen.last == "live")
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == "sk-next")
            let final = try await h.render(.GET, "/services/srv-api/deploys/\(id)")
            #expect(try final.json!.string("finishedAt").hasSuffix("Z"))
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)
        }
    }

    @Test func aDeploySeesEnvGroupVariablesOverlaidByTheServicesOwn() async throws {
        try await SandboxHarness.with { h in
            try await h.render(.PUT, "/env-groups/evg-shared/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-from-group"}"#)
            try await h.render(.PUT, "/env-groups/evg-shared/env-vars/REGION", json: #"{"value":"eu"}"#)
            try await h.render(.DELETE, "/services/srv-worker/env-vars/OPENAI_API_KEY")
            try await h.render(.PUT, "/services/srv-api/env-vars/REGION", json: #"{"value":"us"}"#)
            for service in ["srv-api", "srv-worker"] {
                let id = try await h.render(.POST, "/services/\(service)/deploys").json!.string("id")
                try await waitLive(h, service: service, deploy: id)
            }
            // srv-api keeps its own key and REGION; srv-worker, which has no key of its own, takes the group's.
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "REGION") == "us")
            #expect(await h.sandbox.liveValue(app: "srv-worker", key: "OPENAI_API_KEY") == "sk-from-group")
            #expect(await h.sandbox.liveValue(app: "srv-worker", key: "REGION") == "eu")
            #expect(await h.sandbox.liveValue(app: "srv-worker", key: "LOG_LEVEL") == "info")
        }
    }

    @Test func failedDeployEndsBuildFailedAndLeavesTheLiveEnvAlone() async throws {
        try await SandboxHarness.with { h in
            try await h.inject(#"{"kind":"fail_deploy","service":"srv-api","count":1}"#)
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-doomed"}"#)
            let id = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            try await h.eventually("the deploy fails") {
                try await h.render(.GET, "/services/srv-api/deploys/\(id)").json?["status"] == "build_failed"
            }
            try await Task.sleep(for: .milliseconds(250))
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)

            try await h.inject(#"{"kind":"fail_deploy","service":"srv-api","phase":"update"}"#)
            let second = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            try await h.eventually("the second deploy fails in update") {
                try await h.render(.GET, "/services/srv-api/deploys/\(second)").json?["status"] == "update_failed"
            }
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func a202QueuedDeployHasNoBodyAndIsFoundByListingNewestFirst() async throws {
        try await SandboxHarness.with { h in
            let first = try await h.render(.POST, "/services/srv-worker/deploys").json!.string("id")
            try await h.inject(#"{"kind":"accept_deploy_202","service":"srv-worker","count":1}"#)
            let queued = try await h.render(.POST, "/services/srv-worker/deploys")
            #expect(queued.status == 202)
            #expect(queued.text.isEmpty)

            let list = try await h.render(.GET, "/services/srv-worker/deploys?limit=2")
            #expect(list.status == 200)
            let items = try #require(list.json).array()
            #expect(items.count == 2)
            let newest = try items[0].require("deploy")
            #expect(try newest.string("id") != first)
            #expect(try items[1].require("deploy").string("id") == first)
            #expect(items.allSatisfy { $0["cursor"]?.stringValue != nil })
            try await waitLive(h, service: "srv-worker", deploy: try newest.string("id"))

            let rest = try await h.render(.GET, "/services/srv-worker/deploys?limit=2&cursor=\(try items[1].string("cursor"))")
            let older = try #require(rest.json).array()
            #expect(older.count == 1) // the deploy the world started with
            #expect(older.first?["deploy"]?["status"] == "deactivated")
            let live = try await h.render(.GET, "/services/srv-worker/deploys?status=live")
            #expect(try #require(live.json).array().count == 1)
        }
    }

    @Test func cancellingADeployInProgressCancelsItAndAFinishedOneIs409() async throws {
        try await SandboxHarness.with(deployDuration: .milliseconds(800)) { h in
            let id = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            let canceled = try await h.render(.POST, "/services/srv-api/deploys/\(id)/cancel")
            #expect(canceled.status == 200)
            #expect(try canceled["status"] == "canceled")
            #expect(try await h.render(.POST, "/services/srv-api/deploys/\(id)/cancel").status == 409)
            try await Task.sleep(for: .milliseconds(900))
            #expect(try await h.render(.GET, "/services/srv-api/deploys/\(id)").json?["status"] == "canceled")
            #expect(try await h.render(.GET, "/services/srv-api/deploys/dep-nope").status == 404)
        }
    }

    @Test func rateLimitFaultAnswers429WithRetryAfterAndRatelimitReset() async throws {
        try await SandboxHarness.with { h in
            try await h.inject(#"{"target":"render","path_prefix":"/services/srv-api/deploys","kind":"status","status":429,"count":3,"retry_after":1}"#)
            for _ in 0..<3 {
                let limited = try await h.render(.POST, "/services/srv-api/deploys")
                #expect(limited.status == 429)
                #expect(limited.headers["Retry-After"] == "1")
                #expect(limited.headers["Ratelimit-Reset"] == "1")
                #expect(limited.headers["Ratelimit-Remaining"] == "0")
                #expect(limited.json?["message"]?.stringValue?.isEmpty == false)
            }
            #expect(await h.sandbox.deployCount(service: "srv-api") == 0)
            #expect(try await h.render(.POST, "/services/srv-api/deploys").status == 201)
        }
    }

    @Test func deploysPastTheConfiguredPerServiceBudgetAre429() async throws {
        var world = SandboxWorld.default
        world.render.rateLimits.deploysPerMinute = 3
        try await SandboxHarness.with(world: world) { h in
            for _ in 0..<3 { #expect(try await h.render(.POST, "/services/srv-api/deploys").status == 201) }
            let refused = try await h.render(.POST, "/services/srv-api/deploys")
            #expect(refused.status == 429)
            let retryAfter = try #require(Int(refused.headers["Retry-After"] ?? ""))
            #expect((1...60).contains(retryAfter))
            #expect(refused.headers["Ratelimit-Limit"] == "3")
            #expect(refused.headers["Ratelimit-Remaining"] == "0")
            // The budget is per service.
            #expect(try await h.render(.POST, "/services/srv-worker/deploys").status == 201)
            #expect(await h.sandbox.deployCount(service: "srv-api") == 3)
        }
    }

    private func waitLive(_ h: SandboxHarness, service: String, deploy: String) async throws {
        try await h.eventually("\(deploy) of \(service) is live") {
            try await h.render(.GET, "/services/\(service)/deploys/\(deploy)").json?["status"] == "live"
        }
    }
}
