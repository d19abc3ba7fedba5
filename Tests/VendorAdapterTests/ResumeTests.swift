import Foundation
import ProviderRender
import ProviderVercel
import RotorCore
import RotorSandbox
import Testing

/// A step that "crashes" right after journaling its deploy, then runs again with that checkpoint, as
/// the runner does after a restart.
@Suite("Resuming a step after a crash during a deploy")
struct ResumeTests {
    @Test func vercelPollsTheJournaledDeploymentInsteadOfRedeploying() async throws {
        try await AdapterHarness.with { h in
            let key = try await h.mintVendorKey()
            let crashing = CheckpointBox(crashAfterNote: 1)
            _ = try await expectError(CheckpointBox.SimulatedCrash.self) { try await h.vercel().apply(key, h.context(crashing)) }
            #expect(await h.sandbox.deployCount(project: "web-app") == 1)
            let note = try #require(crashing.last)

            try await h.vercel().apply(key, h.context(lastCheckpoint: note))
            #expect(await h.sandbox.deployCount(project: "web-app") == 1)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == key.revealed)
        }
    }

    @Test func renderServicePollsTheJournaledDeployInsteadOfDeployingAgain() async throws {
        try await AdapterHarness.with { h in
            let key = try await h.mintVendorKey()
            let target = h.render(["service": .string("srv-api")])
            let crashing = CheckpointBox(crashAfterNote: 1)
            _ = try await expectError(CheckpointBox.SimulatedCrash.self) { try await target.apply(key, h.context(crashing)) }
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)

            try await target.apply(key, h.context(lastCheckpoint: crashing.last))
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == key.revealed)
        }
    }

    @Test func envGroupResumesTheJournaledDeployAndDeploysOnlyTheServiceNotYetDeployed() async throws {
        try await AdapterHarness.with { h in
            let target = h.render(["env_group": .string("evg-shared"), "key": .string("SHARED_TOKEN")])
            let crashing = CheckpointBox(crashAfterNote: 1)
            _ = try await expectError(CheckpointBox.SimulatedCrash.self) {
                try await target.apply(SecretValue("shared-value-2"), h.context(crashing))
            }
            let counts = [await h.sandbox.deployCount(service: "srv-api"), await h.sandbox.deployCount(service: "srv-worker")]
            #expect(counts.sorted() == [0, 1])

            try await target.apply(SecretValue("shared-value-2"), h.context(lastCheckpoint: crashing.last))
            for service in ["srv-api", "srv-worker"] {
                #expect(await h.sandbox.deployCount(service: service) == 1)
                #expect(await h.sandbox.liveValue(app: service, key: "SHARED_TOKEN") == "shared-value-2")
            }
        }
    }

    @Test func aJournaledDeployThatFailedIsDeployedAnew() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.failDeploy(service: "srv-api"))
            let key = try await h.mintVendorKey()
            let target = h.render(["service": .string("srv-api")])
            let crashing = CheckpointBox(crashAfterNote: 1)
            _ = try await expectError(CheckpointBox.SimulatedCrash.self) { try await target.apply(key, h.context(crashing)) }

            let box = CheckpointBox()
            try await target.apply(key, h.context(box, lastCheckpoint: crashing.last))
            #expect(await h.sandbox.deployCount(service: "srv-api") == 2)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == key.revealed)
            #expect(box.last != crashing.last)
        }
    }

    @Test func aJournaledVercelDeploymentThatFailedIsRedeployed() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.failDeploy(project: "web-app"))
            let key = try await h.mintVendorKey()
            let crashing = CheckpointBox(crashAfterNote: 1)
            _ = try await expectError(CheckpointBox.SimulatedCrash.self) { try await h.vercel().apply(key, h.context(crashing)) }

            try await h.vercel().apply(key, h.context(lastCheckpoint: crashing.last))
            #expect(await h.sandbox.deployCount(project: "web-app") == 2)
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == key.revealed)
        }
    }
}
