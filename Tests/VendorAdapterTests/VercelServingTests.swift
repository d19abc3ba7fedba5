import Foundation
import ProviderVercel
import RotorCore
import RotorSandbox
import Testing

/// vercel-api.md "Corrections": redeploy what production serves, stop under an Instant Rollback, end a
/// wait on failed checks, and redeploy previews when the playbook says so.
@Suite("Vercel target: what is served, rollbacks, checks, previews")
struct VercelServingTests {
    @Test func theRedeployRebuildsWhatProductionServesNotTheNewestReadyDeployment() async throws {
        try await AdapterHarness.with { h in
            let served = try #require(try await servedDeployment(h))
            // A production deployment whose checks fail is READY, newer, and never served.
            try await h.sandbox.inject(.failDeploy(project: "web-app", phase: "checks"))
            _ = try? await h.vercel(["previews": .string("ignore")]).apply(try await h.mintVendorKey(), h.context(priors: PriorBox()))
            #expect(try await servedDeployment(h) == served)

            try await h.vercel(["previews": .string("ignore")]).apply(try await h.mintVendorKey(), h.context(priors: PriorBox()))
            let line = try #require(h.logs.all.last { $0.contains("vercel redeploy triggered") })
            #expect(line.contains(served))
        }
    }

    @Test func anInstantRollbackStopsTheRotationBeforeAnyWrite() async throws {
        try await AdapterHarness.with { h in
            // A second production deployment, so that there is one to roll back to.
            try await h.vercel(["previews": .string("ignore")]).apply(try await h.mintVendorKey(), h.context(priors: PriorBox()))
            try await h.sandbox.instantRollback(project: "web-app")
            let before = try await h.vercelVariables(key: "OPENAI_API_KEY")
            let deploys = await h.sandbox.deployCount(project: "web-app")
            let error = try await expectError(VercelError.self) {
                try await h.vercel(["previews": .string("ignore")]).apply(try await h.mintVendorKey(), h.context())
            }
            #expect(error.reason == .rollbackInForce)
            #expect(error.description.contains("Instant Rollback"))
            #expect(error.description.contains("Nothing was written"))
            #expect(try await h.vercelVariables(key: "OPENAI_API_KEY").first?["updatedAt"] as? Int == before.first?["updatedAt"] as? Int)
            #expect(await h.sandbox.deployCount(project: "web-app") == deploys)
        }
    }

    @Test func failedDeploymentChecksEndTheWaitAsAFailure() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.inject(.failDeploy(project: "web-app", phase: "checks"))
            let error = try await expectError(VercelError.self) {
                try await h.vercel(["previews": .string("ignore")]).apply(try await h.mintVendorKey(), h.context())
            }
            #expect(error.reason == .deployFailed)
            #expect(error.description.contains("checksConclusion: failed"))
            #expect(await h.sandbox.liveValue(app: "web-app", key: "OPENAI_API_KEY") == h.sandbox.initialKey)
        }
    }

    @Test func previewsRedeployKeepsAnActivePreviewHealthyAfterTheOldKeyIsRevoked() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.createPreview(project: "web-app", branch: "feature-x")
            try await h.waitHealthy(app: "web-app-preview-feature-x")
            let key = try await h.mintVendorKey()
            try await h.vercel(["previews": .string("redeploy")]).apply(key, h.context())
            try await h.revokeInitialKey()
            #expect(await h.sandbox.liveValue(app: "web-app-preview-feature-x", key: "OPENAI_API_KEY") == key.revealed)
            #expect(try await h.healthStatus(app: "web-app-preview-feature-x") == 200)
            #expect(try await h.healthStatus(app: "web-app") == 200)
        }
    }

    @Test func aStepResumedAfterACrashBeforeThePreviewsWereRedeployedRedeploysThem() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.createPreview(project: "web-app", branch: "feature-x")
            try await h.waitHealthy(app: "web-app-preview-feature-x")
            let key = try await h.mintVendorKey()
            let target = h.vercel(["previews": .string("redeploy")])
            // The step "dies" right after journaling the production redeploy, before any preview one.
            let box = CheckpointBox(crashAfterNote: 1)
            await #expect(throws: CheckpointBox.SimulatedCrash.self) { try await target.apply(key, h.context(box)) }
            try await target.apply(key, h.context(lastCheckpoint: box.last))
            try await h.revokeInitialKey()
            #expect(await h.sandbox.liveValue(app: "web-app-preview-feature-x", key: "OPENAI_API_KEY") == key.revealed)
            #expect(try await h.healthStatus(app: "web-app-preview-feature-x") == 200)
        }
    }

    @Test func previewsIgnoreLeavesAPreviewOnTheOldKey() async throws {
        try await AdapterHarness.with { h in
            try await h.sandbox.createPreview(project: "web-app", branch: "feature-x")
            try await h.waitHealthy(app: "web-app-preview-feature-x")
            try await h.vercel(["previews": .string("ignore")]).apply(try await h.mintVendorKey(), h.context())
            try await h.revokeInitialKey()
            #expect(try await h.healthStatus(app: "web-app-preview-feature-x") == 503)
        }
    }

    /// The id of the deployment production serves, as `GET /v9/projects/{p}` tells it.
    private func servedDeployment(_ h: AdapterHarness) async throws -> String? {
        let project = try await h.send(.GET, "/vercel/v9/projects/web-app", token: AdapterHarness.vercelToken).body as? [String: Any]
        return ((project?["targets"] as? [String: Any])?["production"] as? [String: Any])?["id"] as? String
    }
}
