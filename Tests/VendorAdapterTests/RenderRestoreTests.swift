import Foundation
import ProviderRender
import RotorCore
import RotorSandbox
import Testing

/// render-api.md "Corrections": a deploy redeploys what is live, never the branch head; values are
/// readable, so a rollback puts back exactly what the target held.
@Suite("Render target: live source, exact restores, reading")
struct RenderRestoreTests {
    @Test func aRotationAndItsRollbackRedeployTheLiveCommitNeverTheBranchHead() async throws {
        try await AdapterHarness.with { h in
            // The sandbox's srv-api has a branch head newer than its live commit; push one more to be sure.
            try await h.sandbox.pushCommit(service: "srv-api")
            let live = try #require(try await h.liveSource(service: "srv-api"))
            let target = h.render(["service": .string("srv-api")])

            try await target.apply(try await h.mintVendorKey(), h.context())
            #expect(await h.sandbox.deployCount(service: "srv-api") == 1)
            #expect(try await h.liveSource(service: "srv-api") == live)

            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.deployCount(service: "srv-api") == 2)
            #expect(try await h.liveSource(service: "srv-api") == live)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func anImageBackedServiceIsRedeployedWithItsLiveImage() async throws {
        try await AdapterHarness.with { h in
            let live = try #require(try await h.liveSource(service: "srv-worker"))
            let target = h.render(["service": .string("srv-worker")])
            try await target.apply(try await h.mintVendorKey(), h.context())
            #expect(try await h.liveSource(service: "srv-worker") == live)
            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))
            #expect(try await h.liveSource(service: "srv-worker") == live)
        }
    }

    @Test func aRestorePutsBackTheHandSetValueNotRotorsPreviousVersion() async throws {
        try await AdapterHarness.with { h in
            let handSet = try await h.mintVendorKey()
            #expect(try await h.send(.PUT, "/render/v1/services/srv-api/env-vars/OPENAI_API_KEY", token: AdapterHarness.renderToken,
                                     json: #"{"value":"\#(handSet.revealed)"}"#).status == 200)
            let target = h.render(["service": .string("srv-api")])
            try await target.apply(try await h.mintVendorKey(), h.context())
            // Rotor's previous version is the initial key; the service held a value set by hand.
            try await target.restore(SecretValue(h.sandbox.initialKey), h.context(step: .undoPropagate(0)))
            #expect(await h.sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == handSet.revealed)
            #expect(await h.sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == handSet.revealed)
        }
    }

    @Test func readShowsWhatTheServiceAndTheEnvGroupHoldWithoutWriting() async throws {
        try await AdapterHarness.with { h in
            let reading = try await h.render(["service": .string("srv-api")]).read()
            #expect(reading.matches(SecretValue(h.sandbox.initialKey)) == true)
            #expect(reading.fingerprints == [SecretValue(h.sandbox.initialKey).fingerprint])
            let absent = try await h.render(["env_group": .string("evg-shared"), "key": .string("NOT_THERE")]).read()
            #expect(absent.matches(nil) == true)
            #expect(absent.summary == "absent")
            #expect(await h.sandbox.deployCount(service: "srv-api") == 0)
        }
    }
}
