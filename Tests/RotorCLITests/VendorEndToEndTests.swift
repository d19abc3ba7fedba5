import Foundation
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// The Vercel and Render adapters through the rotor binary against the sandbox: what is live is what is
/// redeployed, previews follow the playbook, and a value changed by hand shows as drift.
@Suite("Vendors end to end", .serialized)
struct VendorEndToEndTests {
    static let tokens = SandboxEndToEndTests.tokens

    @Test func aVercelTargetWritingPreviewMustSayWhatHappensToPreviews() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try """
            secret: preview-key
            schedule: { every: 30d }
            source: { provider: random }
            targets:
              - { provider: vercel, project: web-app, key: K, environments: [production, preview] }
            checks: []
            notify: []
            """.write(toFile: "\(world.dir)/Playbooks/preview-key.yml", atomically: true, encoding: .utf8)
            let result = try await world.run(["validate", "\(world.dir)/Playbooks/preview-key.yml"])
            #expect(result.status != 0)
            let output = result.stdout + result.stderr
            #expect(output.contains("preview-key.yml:5:"), "\(output)")
            #expect(output.contains("say what happens to preview deployments"), "\(output)")
            #expect(output.contains("(add previews: redeploy"), "\(output)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aRotationAndItsRollbackKeepTheLiveCommitAndImage(_ backend: Backend) async throws {
        let (world, sandbox) = try await SandboxEndToEndTests.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            try await sandbox.pushCommit(service: "srv-api")
            let commit = try #require(await sandbox.liveSource(service: "srv-api"))
            let image = try #require(await sandbox.liveSource(service: "srv-worker"))

            let rotated = try await world.run(["rotate", "openai-api-key"], env: Self.tokens)
            #expect(rotated.status == 0, "\(rotated)")
            #expect(await sandbox.liveSource(service: "srv-api") == commit)
            #expect(await sandbox.liveSource(service: "srv-worker") == image)

            let rolledBack = try await world.run(["rollback", "openai-api-key", "--reason", "test"], env: Self.tokens)
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(await sandbox.liveSource(service: "srv-api") == commit)
            #expect(await sandbox.liveSource(service: "srv-worker") == image)
            #expect(await sandbox.liveValue(app: "srv-api", key: "OPENAI_API_KEY") == sandbox.initialKey)
        }
    }

    @Test(arguments: Backend.allCases)
    func aRollbackPutsBackTheValueSetByHandNotRotorsPreviousVersion(_ backend: Backend) async throws {
        let (world, sandbox) = try await SandboxEndToEndTests.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            let handSet = "sk-set-by-hand-" + UUID().uuidString
            try await sandbox.setByHand(service: "srv-api", key: "OPENAI_API_KEY", value: handSet)
            #expect(try await world.run(["rotate", "openai-api-key"], env: Self.tokens).status == 0)
            let rolledBack = try await world.run(["rollback", "openai-api-key", "--reason", "test"], env: Self.tokens)
            #expect(rolledBack.status == 0, "\(rolledBack)")
            #expect(await sandbox.envValue(service: "srv-api", key: "OPENAI_API_KEY") == handSet)
            #expect(await sandbox.envValue(project: "web-app", key: "OPENAI_API_KEY") == sandbox.initialKey)
            // What the targets held is journaled sealed: the journal never holds the value in the clear.
            let journal = try await world.withStore { tx, _ in
                try tx.rotations(secretName: "openai-api-key").flatMap { try tx.journal(rotationID: $0.id) }
            }
            #expect(journal.contains { $0.detail?.hasPrefix("prior:") == true })
            #expect(!journal.contains { ($0.detail ?? "").contains(handSet) || ($0.detail ?? "").contains(sandbox.initialKey) })
        }
    }

    @Test(arguments: Backend.allCases)
    func previewsRedeployKeepsAnActivePreviewHealthyAfterRevoke(_ backend: Backend) async throws {
        let (world, sandbox) = try await SandboxEndToEndTests.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            try await sandbox.createPreview(project: "web-app", branch: "feature-x")
            for _ in 0..<200 where await !sandbox.isHealthy(app: "web-app-preview-feature-x") {
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(await sandbox.isHealthy(app: "web-app-preview-feature-x"))

            #expect(try await world.run(["rotate", "openai-api-key"], env: Self.tokens).status == 0)
            let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(25 * 3600))], env: Self.tokens)
            #expect(tick.status == 0, "\(tick)")
            #expect(await !sandbox.isVendorKeyLive(sandbox.initialKey))
            #expect(await sandbox.isHealthy(app: "web-app-preview-feature-x"), "the preview was redeployed with the new key")
        }
    }

    @Test(arguments: Backend.allCases)
    func planStatusAndTickShowAValueChangedByHandWithoutPrintingIt(_ backend: Backend) async throws {
        let (world, sandbox) = try await SandboxEndToEndTests.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            let handSet = "sk-set-by-hand-" + UUID().uuidString
            try await sandbox.setByHand(service: "srv-api", key: "OPENAI_API_KEY", value: handSet)
            let fingerprint = SecretValue(handSet).fingerprint
            let current = SecretValue(sandbox.initialKey).fingerprint

            let plan = try await world.run(["plan", "openai-api-key"], env: Self.tokens)
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("render srv-api OPENAI_API_KEY: fp \(fingerprint) (DRIFT"), "\(plan.stdout)")
            #expect(plan.stdout.contains("vercel web-app OPENAI_API_KEY: fp \(current) (current)"), "\(plan.stdout)")
            #expect(plan.stdout.contains("write to vercel web-app OPENAI_API_KEY; previews: redeploy each branch's latest preview active within 7d"),
                    "\(plan.stdout)")

            let status = try await world.run(["status", "openai-api-key", "--targets"], env: Self.tokens)
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains("target render srv-api OPENAI_API_KEY: fp \(fingerprint) (DRIFT"), "\(status.stdout)")

            let tick = try await world.run(["tick"], env: Self.tokens)
            #expect(tick.status == 0, "\(tick)")
            let alerts = try await world.withStore { tx, _ in try tx.notifications(org: nil, secretName: "openai-api-key", limit: 20) }
            #expect(alerts.contains { $0.kind == "drift" && $0.urgent && $0.body.contains(fingerprint) })
            // A second pass the same day checks nothing again.
            _ = try await world.run(["tick"], env: Self.tokens)
            let again = try await world.withStore { tx, _ in try tx.notifications(org: nil, secretName: "openai-api-key", limit: 20) }
            #expect(again.filter { $0.kind == "drift" }.count == alerts.filter { $0.kind == "drift" }.count)

            for output in [plan.stdout, plan.stderr, status.stdout, status.stderr, tick.stdout, tick.stderr] {
                #expect(!output.contains(handSet) && !output.contains(sandbox.initialKey))
            }
            #expect(!alerts.contains { $0.body.contains(handSet) || $0.subject.contains(handSet) })
        }
    }
}
