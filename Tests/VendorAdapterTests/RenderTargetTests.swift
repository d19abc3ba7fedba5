import Foundation
import ProviderRender
import RotorCore
import RotorHTTP
import RotorSandbox
import Testing

@Suite("Render target against the sandbox")
struct RenderTargetTests {
    @Test func serviceApplyAndRestoreSwitchTheLiveValue() async throws {
        try await AdapterHarness.with { h in
            let key = try await h.mintVendorKey()
            let target = h.render(["service": .string("srv-api")])
            let box = CheckpointBox()
            try await target.apply(key, h.context(box))

            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == key.revealed)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == key.revealed)
            #expect(try await h.healthStatus(app: "srv-api") == 200)
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)
            #expect(await h.sandbox.deployCount(service: "srv-worker") == 0)
            #expect(try #require(box.last).hasPrefix(#"{"deploy":"dep-"#))

            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(await h.sandbox.deployCount(service: "srv-api") == 2)
            #expect(try await h.healthStatus(app: "srv-api") == 200)
        }
    }

    @Test func serviceRestoreOfNothingDeletesOnlyThatVariable() async throws {
        try await AdapterHarness.with { h in
            let target = h.render(["service": .string("srv-api"), "key": .string("ROTOR_NEW_SETTING")])
            try await target.apply(SecretValue("value-that-was-not-there"), h.context())
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "ROTOR_NEW_SETTING") == "value-that-was-not-there")

            try await target.restore(nil, h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(service: "srv-api", key: "ROTOR_NEW_SETTING") == nil)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "ROTOR_NEW_SETTING") == nil)
            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            // Deleting again is not an error: the variable is simply absent.
            try await h.render(["service": .string("srv-api"), "key": .string("ROTOR_NEW_SETTING"), "deploy": .bool(false)])
                .restore(nil, h.context())
        }
    }

    @Test func envGroupApplyDeploysEveryLinkedServiceAndBothGoLive() async throws {
        try await AdapterHarness.with { h in
            // The services' own OPENAI_API_KEY would shadow the group's, so the group carries a key of its own.
            let target = h.render(["env_group": .string("evg-shared"), "key": .string("SHARED_TOKEN")])
            #expect(target.label == "render evg-shared SHARED_TOKEN")
            let box = CheckpointBox()
            try await target.apply(SecretValue("shared-value-1"), h.context(box))

            #expect(await h.sandbox.envValue(envGroup: "evg-shared", key: "SHARED_TOKEN") == "shared-value-1")
            for service in ["srv-api", "srv-worker"] {
                #expect(await h.sandbox.liveValue(app: service, key: "SHARED_TOKEN") == "shared-value-1")
                #expect(await h.sandbox.deployCount(service: service) == 1)
            }
            let note = try #require(box.last)
            #expect(note.contains(#""srv-api":"dep-"#) && note.contains(#""srv-worker":"dep-"#))

            try await target.restore(nil, h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(envGroup: "evg-shared", key: "SHARED_TOKEN") == nil)
            for service in ["srv-api", "srv-worker"] {
                #expect(await h.sandbox.liveValue(app: service, key: "SHARED_TOKEN") == nil)
                #expect(await h.sandbox.deployCount(service: service) == 2)
            }
        }
    }

    @Test func aQueuedDeployIsFoundByListingAndPolled() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.acceptDeploy202(service: "srv-api", count: 1))
            let key = try await h.mintVendorKey()
            let box = CheckpointBox()
            try await h.render(["service": .string("srv-api")]).apply(key, h.context(box))
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == key.revealed)
            #expect(try #require(box.last).hasPrefix(#"{"deploy":"dep-"#))
        }
    }

    @Test func aFailedDeployNamesItsStatusAndLeavesTheOldValueLive() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.failDeploy(service: "srv-api"))
            let key = try await h.mintVendorKey()
            let error = try await expectError(RenderError.self) {
                try await h.render(["service": .string("srv-api")]).apply(key, h.context())
            }
            #expect(error.reason == .deployFailed)
            #expect(error.description.contains("ended build_failed"))
            #expect(error.description.hasPrefix("render srv-api OPENAI_API_KEY: "))
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
            #expect(try await h.healthStatus(app: "srv-api") == 200)
        }
    }

    @Test func aStormOf429sWithRatelimitResetIsWaitedOut() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.status(429, target: .render, pathPrefix: "/services/srv-api/deploys", method: "POST",
                                               count: 3, retryAfter: 1))
            let key = try await h.mintVendorKey()
            let start = ContinuousClock.now
            try await h.render(["service": .string("srv-api")]).apply(key, h.context())
            #expect(ContinuousClock.now - start >= .milliseconds(2_500))
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == key.revealed)
            #expect(h.logs.all.filter { $0.contains("HTTP retry scheduled") }.count == 3)
        }
    }

    @Test func aRateLimitOutlastingTheRetryPolicySaysSo() async throws {
        try await AdapterHarness.with(policy: RetryPolicy(maxAttempts: 2)) { h in
            try await h.sandbox.inject(.status(429, target: .render, pathPrefix: "/services/srv-api/env-vars", count: 5, retryAfter: 1))
            let error = try await expectError(RenderError.self) {
                try await h.render(["service": .string("srv-api")]).apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .rateLimited)
            #expect(error.description.contains("beyond the retry policy"))
        }
    }

    @Test func aWrongKeyIsRejectedNamingItsReference() async throws {
        try await AdapterHarness.with(environment: ["RENDER_API_KEY": "not-the-render-key"]) { h in
            let error = try await expectError(RenderError.self) {
                try await h.render(["service": .string("srv-api")]).apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(error.reason == .rejectedToken)
            #expect(error.status == 401)
            #expect(error.description.contains("env:RENDER_API_KEY"))
            #expect(!error.description.contains("not-the-render-key"))
        }
    }

    @Test func anUnknownServiceOrEnvGroupIsNamedInTheError() async throws {
        try await AdapterHarness.with { h in
            let service = try await expectError(RenderError.self) {
                try await h.render(["service": .string("srv-nope")]).apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(service.reason == .notFound)
            #expect(service.description.contains("no service srv-nope"))

            let removal = try await expectError(RenderError.self) {
                try await h.render(["service": .string("srv-nope")]).restore(nil, h.context())
            }
            #expect(removal.reason == .notFound)

            let group = try await expectError(RenderError.self) {
                try await h.render(["env_group": .string("evg-nope")]).apply(SecretValue("sk-never-written-value"), h.context())
            }
            #expect(group.reason == .notFound)
            #expect(group.description.contains("no env group evg-nope"))
        }
    }
}
