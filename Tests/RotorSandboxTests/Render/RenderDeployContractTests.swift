import Testing
@testable import RotorSandbox

/// `reference/render-api.md`, "Deploys" and "Errors and limits".
///
/// Tests that follow a deploy through its phases run the sandbox on a `ManualClock` and move it themselves:
/// a deploy changes phase exactly when the test advances time, never because the machine was slow.
@Suite("Render deploy API contract")
struct RenderDeployContractTests {
    static let deployDuration = Duration.seconds(2)

    @Test func triggerAnswers201WithADeployThatProgressesToLiveAndOnlyThenSwitchesTheLiveEnv() async throws {
        let clock = ManualClock()
        try await SandboxHarness.with(deployDuration: Self.deployDuration, clock: clock) { h in
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

            // Look at the deploy every eighth of its duration, from its creation until past its end.
            var seen: [String] = []
            for step in 0...10 {
                if step > 0 { clock.advance(by: Self.deployDuration / 8) }
                let live = await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY")
                let polled = try await h.render(.GET, "/services/srv-api/deploys/\(id)")
                let status = try polled.json!.string("status")
                if seen.last != status { seen.append(status) }
                if status != "live" {
                    #expect(live == h.sandbox.initialKey, "at step \(step) (\(status))")
                } else {
                    #expect(live == "sk-next", "at step \(step)")
                }
            }
            let progression = ["created", "build_in_progress", "update_in_progress", "live"]
            #expect(seen == progression)
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
        let clock = ManualClock()
        try await SandboxHarness.with(deployDuration: Self.deployDuration, clock: clock) { h in
            try await h.render(.PUT, "/env-groups/evg-shared/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-from-group"}"#)
            try await h.render(.PUT, "/env-groups/evg-shared/env-vars/REGION", json: #"{"value":"eu"}"#)
            try await h.render(.DELETE, "/services/srv-worker/env-vars/OPENAI_API_KEY")
            try await h.render(.PUT, "/services/srv-api/env-vars/REGION", json: #"{"value":"us"}"#)
            for service in ["srv-api", "srv-worker"] {
                let id = try await h.render(.POST, "/services/\(service)/deploys").json!.string("id")
                try await finish(h, clock, service: service, deploy: id, as: "live")
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
        let clock = ManualClock()
        try await SandboxHarness.with(deployDuration: Self.deployDuration, clock: clock) { h in
            let liveDeploy = try #require(await liveDeployID(h, service: "srv-api"))
            try await h.inject(#"{"kind":"fail_deploy","service":"srv-api","count":1}"#)
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-doomed"}"#)
            let id = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            try await finish(h, clock, service: "srv-api", deploy: id, as: "build_failed")
            // Long after it would have gone live, it is still failed and the app still runs the old deploy.
            clock.advance(by: .seconds(3600))
            #expect(try await h.render(.GET, "/services/srv-api/deploys/\(id)").json?["status"] == "build_failed")
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await liveDeployID(h, service: "srv-api") == liveDeploy)

            try await h.inject(#"{"kind":"fail_deploy","service":"srv-api","phase":"update"}"#)
            let second = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            try await finish(h, clock, service: "srv-api", deploy: second, as: "update_failed")
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            clock.advance(by: .seconds(3600))
            #expect(try await h.render(.GET, "/services/srv-api/deploys/\(second)").json?["status"] == "update_failed")
            #expect(await liveDeployID(h, service: "srv-api") == liveDeploy)
            #expect(await h.sandbox.deployCount(service: "srv-api") == 2)
        }
    }

    @Test func a202QueuedDeployHasNoBodyAndIsFoundByListingNewestFirst() async throws {
        let clock = ManualClock()
        try await SandboxHarness.with(deployDuration: Self.deployDuration, clock: clock) { h in
            let first = try await h.render(.POST, "/services/srv-worker/deploys").json!.string("id")
            // Created a moment later than the first, as any two real requests are.
            clock.advance(by: .milliseconds(10))
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
            try await finish(h, clock, service: "srv-worker", deploy: try newest.string("id"), as: "live")

            let rest = try await h.render(.GET, "/services/srv-worker/deploys?limit=2&cursor=\(try items[1].string("cursor"))")
            let older = try #require(rest.json).array()
            #expect(older.count == 1) // the deploy the world started with
            #expect(older.first?["deploy"]?["status"] == "deactivated")
            let live = try await h.render(.GET, "/services/srv-worker/deploys?status=live")
            #expect(try #require(live.json).array().count == 1)
        }
    }

    @Test func cancellingADeployInProgressCancelsItAndAFinishedOneIs409() async throws {
        let clock = ManualClock()
        try await SandboxHarness.with(deployDuration: Self.deployDuration, clock: clock) { h in
            let liveDeploy = try #require(await liveDeployID(h, service: "srv-api"))
            try await h.render(.PUT, "/services/srv-api/env-vars/OPENAI_API_KEY", json: #"{"value":"sk-cancelled"}"#)
            let id = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            clock.advance(by: Self.deployDuration / 2)
            #expect(try await h.render(.GET, "/services/srv-api/deploys/\(id)").json?["status"] == "update_in_progress")
            let canceled = try await h.render(.POST, "/services/srv-api/deploys/\(id)/cancel")
            #expect(canceled.status == 200)
            #expect(try canceled["status"] == "canceled")
            let canceledAt = try canceled.json!.string("finishedAt")
            #expect(try await h.render(.POST, "/services/srv-api/deploys/\(id)/cancel").status == 409)

            // Past the moment it would have gone live: still cancelled, finished when cancelled, never live.
            clock.advance(by: Self.deployDuration)
            let later = try await h.render(.GET, "/services/srv-api/deploys/\(id)")
            #expect(later.json?["status"] == "canceled")
            #expect(later.json?["finishedAt"]?.stringValue == canceledAt)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await liveDeployID(h, service: "srv-api") == liveDeploy)
            #expect(try await h.render(.POST, "/services/srv-api/deploys/\(id)/cancel").status == 409)
            #expect(try await h.render(.GET, "/services/srv-api/deploys/dep-nope").status == 404)

            // A deploy that finished by going live cannot be cancelled either.
            let next = try await h.render(.POST, "/services/srv-api/deploys").json!.string("id")
            try await finish(h, clock, service: "srv-api", deploy: next, as: "live")
            #expect(try await h.render(.POST, "/services/srv-api/deploys/\(next)/cancel").status == 409)
            #expect(try await h.render(.GET, "/services/srv-api/deploys/\(next)").json?["status"] == "live")
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

    /// Moves the clock to the end of `deploy` and checks that it ended with `status`.
    private func finish(
        _ h: SandboxHarness, _ clock: ManualClock, service: String, deploy: String, as status: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        clock.advance(by: Self.deployDuration)
        let reply = try await h.render(.GET, "/services/\(service)/deploys/\(deploy)")
        #expect(reply.json?["status"]?.stringValue == status, "\(deploy) of \(service): \(reply.text)",
                sourceLocation: sourceLocation)
    }

    /// The id of the deploy `service` runs now.
    private func liveDeployID(_ h: SandboxHarness, service: String) async -> String? {
        await h.sandbox.store.appStatus(service)?.liveDeployId
    }
}
