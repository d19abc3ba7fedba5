import Foundation
import ProviderVercel
import RotorCore
import RotorHTTP
import RotorSandbox
import Testing

@Suite("Vercel target against the sandbox")
struct VercelTargetTests {
    @Test func applyWritesEveryEnvironmentRedeploysAndPutsTheNewKeyLive() async throws {
        try await AdapterHarness.with { h in
            let key = try await h.mintVendorKey()
            let box = CheckpointBox()
            try await h.vercel(["environments": .list([.string("production"), .string("preview")])]).apply(key, h.context(box))

            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY", target: "production") == key.revealed)
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY", target: "preview") == key.revealed)
            #expect(await h.sandbox.deployCount(project: "web-app") == 1)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == key.revealed)
            #expect(try await h.healthStatus(app: "web-app") == 200)
            #expect(await h.sandbox.deployCount(project: "docs-site") == 0)
            let note = try #require(box.last)
            #expect(note.hasPrefix(#"{"deploy":"dpl_"#))
        }
    }

    @Test func restorePutsThePreviousValueBackLive() async throws {
        try await AdapterHarness.with { h in
            let key = try await h.mintVendorKey()
            let target = h.vercel()
            try await target.apply(key, h.context())
            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))

            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await h.sandbox.deployCount(project: "web-app") == 2)
            #expect(try await h.healthStatus(app: "web-app") == 200)
        }
    }

    @Test func restoreOfNothingDeletesTheVariableAndRedeploys() async throws {
        try await AdapterHarness.with { h in
            let target = h.vercel(["key": .string("ROTOR_NEW_SETTING")])
            try await target.apply(SecretValue("value-that-was-not-there"), h.context())
            #expect(await h.sandbox.liveValue(app: "web-app", key: "ROTOR_NEW_SETTING") == "value-that-was-not-there")

            try await target.restore(nil, h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(project: "web-app", key: "ROTOR_NEW_SETTING") == nil)
            #expect(await h.sandbox.envValue(project: "web-app", key: "ROTOR_NEW_SETTING", target: "preview") == nil)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "ROTOR_NEW_SETTING") == nil)
            // The app's own key was never touched.
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func redeployFalseWritesWithoutDeploying() async throws {
        try await AdapterHarness.with { h in
            let key = try await h.mintVendorKey()
            try await h.vercel(["redeploy": .bool(false)]).apply(key, h.context())
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == key.revealed)
            #expect(await h.sandbox.deployCount(project: "web-app") == 0)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func aTeamProjectIsReachedWithItsTeamIdAndNotWithout() async throws {
        var world = SandboxWorld()
        world.vercel.teams = [.init(id: "team_sandbox", slug: "sandbox")]
        world.vercel.projects.append(.init(id: "prj_teamsite", name: "team-site", teamId: "team_sandbox"))
        try await AdapterHarness.with(world: world) { h in
            let key = try await h.mintVendorKey()
            try await h.vercel(["project": .string("team-site"), "team": .string("team_sandbox")]).apply(key, h.context())
            #expect(await h.sandbox.liveValue(app: "team-site", key: "OPENAI_API_KEY") == key.revealed)

            let error = try await expectError(VercelError.self) {
                try await h.vercel(["project": .string("team-site")]).apply(key, h.context())
            }
            #expect(error.reason == .notFound)
            #expect(error.status == 404)
            #expect(error.description.contains("project team-site"))
            #expect(error.description.contains("team:"))
        }
    }

    @Test func aWrongTokenIsRejectedNamingItsReference() async throws {
        try await AdapterHarness.with(environment: ["VERCEL_TOKEN": "not-the-vercel-token"]) { h in
            let error = try await expectError(VercelError.self) {
                try await h.vercel().apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .rejectedToken)
            #expect(error.status == 403)
            #expect(error.description.contains("env:VERCEL_TOKEN"))
            #expect(error.description.contains("403 forbidden"))
            #expect(!error.description.contains("not-the-vercel-token"))
            #expect(await h.sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func anUnsetTokenVariableSaysWhichOne() async throws {
        try await AdapterHarness.with(environment: [:]) { h in
            let error = try await expectError(VercelError.self) {
                try await h.vercel().apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .credential)
            #expect(error.description.contains("env:VERCEL_TOKEN is not set"))
        }
    }

    @Test func anUnknownProjectIsNamedInTheError() async throws {
        try await AdapterHarness.with { h in
            let error = try await expectError(VercelError.self) {
                try await h.vercel(["project": .string("no-such-app")]).apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .notFound)
            #expect(error.description.hasPrefix("vercel no-such-app OPENAI_API_KEY: "))
            #expect(error.description.contains("project no-such-app"))
        }
    }

    @Test func aBadRequestSurfacesVercelsCodeAndMessage() async throws {
        try await AdapterHarness.with { h in
            let error = try await expectError(VercelError.self) {
                try await h.vercel(["type": .string("secret")]).apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .refused)
            #expect(error.status == 400)
            #expect(error.description.contains("400 bad_request"))
            #expect(error.description.contains("`type` should be equal to one of the allowed values"))
        }
    }

    @Test func aCreatedAnswerWithFailedEntriesIsAFailure() async throws {
        try await AdapterHarness.with { h in
            // A playbook cannot say this (the schema forbids it); the API's own refusal must still surface.
            let target = h.vercel(["type": .string("sensitive"),
                                   "environments": .list([.string("production"), .string("development")])])
            let error = try await expectError(VercelError.self) {
                try await target.apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .refused)
            #expect(error.status == 201)
            #expect(error.description.contains("Development"))
            #expect(await h.sandbox.deployCount(project: "web-app") == 0)
        }
    }

    @Test func aFailedDeploymentNamesItsStateAndLeavesTheOldValueLive() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.failDeploy(project: "web-app"))
            let key = try await h.mintVendorKey()
            let error = try await expectError(VercelError.self) { try await h.vercel().apply(key, h.context()) }
            #expect(error.reason == .deployFailed)
            #expect(error.description.contains("ended ERROR"))
            #expect(error.description.contains("BUILD_UTILS_SPAWN_1"))
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(try await h.healthStatus(app: "web-app") == 200)
        }
    }

    @Test func aStormOf429sIsWaitedOut() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.status(429, target: .vercel, pathPrefix: "/v10/projects", count: 3, retryAfter: 1))
            let key = try await h.mintVendorKey()
            let start = ContinuousClock.now
            try await h.vercel().apply(key, h.context())
            #expect(ContinuousClock.now - start >= .milliseconds(2_500))
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == key.revealed)
            #expect(h.logs.all.filter { $0.contains("HTTP retry scheduled") }.count == 3)
        }
    }

    @Test func aRateLimitOutlastingTheRetryPolicySaysSo() async throws {
        try await AdapterHarness.with(policy: RetryPolicy(maxAttempts: 2)) { h in
            try await h.sandbox.inject(.status(429, target: .vercel, pathPrefix: "/v10/projects", count: 5, retryAfter: 1))
            let error = try await expectError(VercelError.self) {
                try await h.vercel().apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .rateLimited)
            #expect(error.description.contains("beyond the retry policy"))
        }
    }
}
