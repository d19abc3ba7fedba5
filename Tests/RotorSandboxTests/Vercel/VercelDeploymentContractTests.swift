import Testing
@testable import RotorSandbox

/// `reference/vercel-api.md`, "Redeploy so the new value goes live".
@Suite("Vercel deployment API contract")
struct VercelDeploymentContractTests {
    @Test func latestReadyProductionDeploymentIsListedWithTheV6Shape() async throws {
        try await SandboxHarness.with { h in
            let reply = try await h.vercel(.GET, "/v6/deployments?projectId=prj_webapp&target=production&state=READY&limit=1")
            #expect(reply.status == 200)
            let deployments = try reply["deployments"].array()
            #expect(deployments.count == 1)
            let deployment = deployments[0]
            #expect(try deployment.string("uid").hasPrefix("dpl_"))
            #expect(deployment["name"] == "web-app")
            #expect(deployment["state"] == "READY")
            #expect(deployment["target"] == "production")
            #expect(deployment["url"]?.stringValue?.isEmpty == false)
            #expect(deployment["createdAt"]?.intValue != nil)
            #expect(try reply["pagination"]["next"] == .null)

            let byName = try await h.vercel(.GET, "/v6/deployments?projectId=docs-site&target=production&state=READY&limit=1")
            #expect(try byName["deployments"].array().first?["name"] == "docs-site")
            let building = try await h.vercel(.GET, "/v6/deployments?projectId=prj_webapp&state=BUILDING")
            #expect(try building["deployments"] == [])
        }
    }

    @Test func redeployProgressesToReadyAndOnlyThenSwitchesTheLiveEnv() async throws {
        // The sandbox's time moves only when the test advances it: each phase is seen, however loaded the machine.
        let clock = ManualClock()
        let duration = Duration.seconds(2)
        try await SandboxHarness.with(deployDuration: duration, clock: clock) { h in
            let source = try await latestReady(h, project: "prj_webapp")
            try await setKey(h, project: "web-app", value: "sk-next")

            let created = try await h.vercel(.POST, "/v13/deployments?forceNew=1",
                                             json: #"{"deploymentId":"\#(source)","name":"web-app","target":"production","meta":{"action":"redeploy"}}"#)
            #expect(created.status == 200)
            let id = try created.json!.string("id")
            #expect(id != source)
            #expect(try created["readyState"] == "QUEUED")
            #expect(try created["status"] == "QUEUED")
            #expect(try created["target"] == "production")
            #expect(try created["aliasAssigned"] == false)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)

            // Look at the deployment every eighth of its duration, from its creation until past its end.
            var seen: [String] = []
            var polled: Reply?
            for step in 0...10 {
                if step > 0 { clock.advance(by: duration / 8) }
                let live = await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY")
                polled = try await h.vercel(.GET, "/v13/deployments/\(id)")
                let state = try polled!.json!.string("readyState")
                if seen.last != state { seen.append(state) }
                if state != "READY" {
                    // Until READY the app keeps running the previous deployment.
                    #expect(live == h.sandbox.initialKey, "at step \(step) (\(state))")
                } else {
                    #expect(live == "sk-next", "at step \(step)")
                }
            }
            #expect(polled?.json?["aliasAssigned"] == true)
            let progression = ["QUEUED", "INITIALIZING", "BUILDING", "READY"]
            #expect(seen == progression)
            let order = seen.compactMap { progression.firstIndex(of: $0) }
            #expect(order.count == seen.count && order == order.sorted(), "\(seen)")
            #expect(seen.contains("BUILDING") || seen.contains("INITIALIZING"), "\(seen)")
            #expect(seen.last == "READY")
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == "sk-next")
            #expect(await h.sandbox.deployCount(project: "web-app") == 1)
            #expect(try await latestReady(h, project: "prj_webapp") == id)
        }
    }

    @Test func failedDeploymentEndsInErrorAndLeavesTheLiveEnvAlone() async throws {
        let clock = ManualClock()
        let duration = Duration.seconds(2)
        try await SandboxHarness.with(deployDuration: duration, clock: clock) { h in
            try await h.inject(#"{"kind":"fail_deploy","project":"web-app","count":1}"#)
            let source = try await latestReady(h, project: "prj_webapp")
            try await setKey(h, project: "web-app", value: "sk-doomed")
            let created = try await h.vercel(.POST, "/v13/deployments?forceNew=1",
                                             json: #"{"deploymentId":"\#(source)","name":"web-app","target":"production"}"#)
            let id = try created.json!.string("id")
            clock.advance(by: duration)
            var final: Reply? = try await h.vercel(.GET, "/v13/deployments/\(id)")
            #expect(final?.json?["readyState"] == "ERROR")
            // Long after it would have been READY, it is still failed and the app still runs the old deployment.
            clock.advance(by: .seconds(3600))
            final = try await h.vercel(.GET, "/v13/deployments/\(id)")
            #expect(final?.json?["readyState"] == "ERROR")
            #expect(final?.json?["errorCode"]?.stringValue?.isEmpty == false)
            #expect(final?.json?["errorMessage"]?.stringValue?.isEmpty == false)
            #expect(final?.json?["aliasAssigned"] == false)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(try await latestReady(h, project: "prj_webapp") == source)
        }
    }

    @Test func redeployWithoutForceNewBuildsNothing() async throws {
        try await SandboxHarness.with { h in
            let source = try await latestReady(h, project: "prj_docssite")
            let reply = try await h.vercel(.POST, "/v13/deployments",
                                           json: #"{"deploymentId":"\#(source)","name":"docs-site","target":"production"}"#)
            #expect(reply.status == 200)
            #expect(try reply["id"] == .string(source))
            #expect(await h.sandbox.deployCount(project: "docs-site") == 0)
        }
    }

    @Test func redeployRefusesANameThatIsNotTheProjectsAndUnknownDeployments() async throws {
        try await SandboxHarness.with { h in
            let source = try await latestReady(h, project: "prj_webapp")
            let wrongName = try await h.vercel(.POST, "/v13/deployments?forceNew=1",
                                               json: #"{"deploymentId":"\#(source)","name":"prj_webapp","target":"production"}"#)
            #expect(wrongName.status == 400)
            #expect(wrongName.json?["error"]?["code"] == "bad_request")
            let unknown = try await h.vercel(.POST, "/v13/deployments?forceNew=1",
                                             json: #"{"deploymentId":"dpl_nope","name":"web-app","target":"production"}"#)
            #expect(unknown.status == 404)
            #expect(unknown.json?["error"]?["code"] == "not_found")
            let missing = try await h.vercel(.GET, "/v13/deployments/dpl_nope")
            #expect(missing.status == 404)
            #expect(missing.json?["error"]?["code"] == "not_found")
        }
    }

    private func latestReady(_ h: SandboxHarness, project: String) async throws -> String {
        let reply = try await h.vercel(.GET, "/v6/deployments?projectId=\(project)&target=production&state=READY&limit=1")
        return try #require(try reply["deployments"].array().first).string("uid")
    }

    private func setKey(_ h: SandboxHarness, project: String, value: String) async throws {
        let reply = try await h.vercel(.POST, "/v10/projects/\(project)/env?upsert=true",
                                       json: #"{"key":"OPENAI_API_KEY","value":"\#(value)","type":"encrypted","target":["production","preview"]}"#)
        try #require(reply.status == 201 && reply.json?["failed"] == [])
    }
}
