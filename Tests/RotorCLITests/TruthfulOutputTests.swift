import Foundation
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// What Rotor says is what happened: no "revoked" for a value that stays valid, an exit status that tells a
/// failed pass from a clean one, and validation that catches what would only fail at rotation time.
@Suite("Truthful output", .serialized)
struct TruthfulOutputTests {
    /// A playbook minting at the sandbox vendor with no revoke step, writing a dotenv file.
    static func noRevokePlaybook(_ world: World, vendor: String) -> String {
        """
        secret: vendor-key
        grace: 1h
        source:
          provider: http
          token: env:VENDOR_ADMIN_TOKEN
          mint: { url: "\(vendor)/vendor/keys", headers: { Authorization: "Bearer {{token}}" }, body: { name: "{{secret}}" } }
          value: /value
          handle: /id
        targets:
          - { provider: file, path: \(world.dir)/vendor.env, format: dotenv, key: VENDOR_KEY }
        checks: []
        notify: []
        """
    }

    @Test(arguments: Backend.allCases)
    func withoutARevokeStepTheGraceEndSaysTheOldValueStaysValidAndAuditsTheRevokeSkipped(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        let sandbox = Sandbox(deployDuration: .milliseconds(10))
        let port = try await sandbox.start(host: "127.0.0.1", port: 0)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            try Self.noRevokePlaybook(world, vendor: "http://127.0.0.1:\(port)")
                .write(toFile: "\(world.dir)/Playbooks/vendor-key.yml", atomically: true, encoding: .utf8)
            let env = ["VENDOR_ADMIN_TOKEN": "sandbox-vendor-admin"]
            #expect(try await world.run(["init"]).status == 0)
            #expect(try await world.run(["import", "vendor-key"], stdin: sandbox.initialKey).status == 0)
            let rotated = try await world.run(["rotate", "vendor-key"], env: env)
            #expect(rotated.status == 0, "\(rotated)")

            let graceEnd = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))], env: env)
            #expect(graceEnd.status == 0, "\(graceEnd)")
            #expect(!graceEnd.stdout.contains("old key revoked"), "\(graceEnd)")
            #expect(graceEnd.stdout.contains("NOT revoked") && graceEnd.stdout.contains("stays valid at the vendor"), "\(graceEnd)")
            #expect(await sandbox.isVendorKeyLive(sandbox.initialKey), "nothing revoked it")
            let revokes = try await world.withStore { tx, _ in
                try tx.auditEvents(since: nil, until: nil, subject: "vendor-key", limit: nil).filter { $0.action == "step.revoke" }
            }
            #expect(revokes.map(\.outcome) == ["skipped"])
        }
    }

    @Test(arguments: Backend.allCases)
    func tickExitsOneWhenARotationOfThePassRollsBack(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: "{ every: 30d }")
            _ = try await world.initialise()
            #expect(try await world.run(["tick"]).status == 0, "nothing due: a clean pass")
            try world.setAppDown(true)
            let due = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(31 * 86_400))])
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state } == .rolledBack)
            #expect(due.status == 1, "\(due)")
        }
    }

    @Test func tickExitsTwoForAUsageOrConfigurationError() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let usage = try await world.run(["tick", "--now", "next tuesday"])
            #expect(usage.status == 2, "\(usage)")
            try "channels: [ unclosed\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            let config = try await world.run(["tick"])
            #expect(config.status == 2, "\(config)")
            let help = try await world.run(["tick", "--help"])
            #expect(help.stdout.contains("Exit status"))
        }
    }

    @Test func importRefusesAValueWithoutHandleWhenTheRevokeRequestUsesIt() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let template = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/RotorCLITests/TruthfulOutputTests.swift",
                                                                                       with: "Playbooks/sandbox/openai-api-key.yml"), encoding: .utf8)
            try template.write(toFile: "\(world.dir)/Playbooks/openai-api-key.yml", atomically: true, encoding: .utf8)
            try "channels:\n  ops: { type: outbox }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            #expect(try await world.run(["init"]).status == 0)
            let refused = try await world.run(["import", "openai-api-key"], stdin: "sk-in-use-today-1234")
            #expect(refused.status == 1, "\(refused)")
            #expect(refused.stderr.contains("{{handle}}") && refused.stderr.contains("--handle"), "\(refused)")
            #expect(try await world.withStore { tx, _ in try tx.versions(secretName: "openai-api-key") }.isEmpty)
            let imported = try await world.run(["import", "openai-api-key", "--handle", "key_123"], stdin: "sk-in-use-today-1234")
            #expect(imported.status == 0, "\(imported)")
        }
    }

    @Test func validateRejectsPlaceholdersThatDoNotExistAtTheirStep() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let playbook = """
                secret: vendor-key
                source:
                  provider: http
                  mint: { url: "https://vendor.example/keys/{{handle}}", headers: { Authorization: "Bearer {{token}}" } }
                  revoke: { url: "https://vendor.example/keys/{{handle}}", body: { key: "{{vaule}}" } }
                  value: /value
                targets:
                  - { provider: file, path: \(world.dir)/vendor.env, key: VENDOR_KEY }
                checks:
                  - { provider: http, url: "https://api.example/health", headers: { X-Key: "{{secret}}" } }
                notify: []
                """
            try playbook.write(toFile: "\(world.dir)/Playbooks/vendor-key.yml", atomically: true, encoding: .utf8)
            let result = try await world.run(["validate", "\(world.dir)/Playbooks/vendor-key.yml"])
            #expect(result.status == 1, "\(result)")
            for expected in ["mint uses {{handle}}", "mint uses {{token}}", "revoke uses {{handle}}", "revoke uses {{vaule}}",
                             "header X-Key uses {{secret}}"] {
                #expect(result.stdout.contains(expected), "missing \(expected): \(result)")
            }
        }
    }

    @Test func validateRejectsAChannelNoRotorYmlDefinesAlsoWithoutRotorYml() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            var playbook = try String(contentsOfFile: "\(world.dir)/Playbooks/app-token.yml", encoding: .utf8)
            playbook = playbook.replacingOccurrences(of: "notify: []", with: "notify: [security-slack]")
            try playbook.write(toFile: "\(world.dir)/Playbooks/app-token.yml", atomically: true, encoding: .utf8)
            let result = try await world.run(["validate"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.contains("unknown channel 'security-slack'"), "\(result)")
        }
    }

    @Test func messagesNameTargetsAndChecksAsPeopleKnowThemNeverByStepKeyOrTwice() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            try world.setAppDown(true)
            let rotated = try await world.run(["rotate", "app-token"])
            #expect(rotated.status == 1, "\(rotated)")
            let check = "check \(world.app.url)/health"
            #expect(rotated.stdout.contains("[failed] \(check) failed after"), "\(rotated)")
            #expect(rotated.stdout.contains("rolled back: every target holds the previous value again (\(check) failed"), "\(rotated)")
            #expect(!rotated.stdout.contains("verify:0") && !rotated.stdout.contains("\(check): \(check)"), "\(rotated)")
            let status = try await world.run(["status", "app-token"])
            #expect(!status.stdout.contains("verify:0") && !status.stdout.contains("undo:"), "\(status)")
            let history = try await world.run(["history", "app-token"])
            #expect(history.stdout.contains("verify:0") && history.stdout.contains("(check http \(world.app.url)/health)"), "the key, with the label next to it: \(history)")
            #expect(history.stdout.contains("(write file "), "\(history)")
        }
    }

    @Test func tickExitsOneWhenANotificationIsGivenUp() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let created = try JSONSerialization.jsonObject(with: Data(try await world.run(["keys", "create", "--org", "acme", "--json"]).stdout.utf8))
            let id = try #require((created as? [String: Any])?["id"] as? String)
            #expect(try await world.run(["keys", "rotate", id, "--grace", "1h"]).status == 0)
            // No rotor.yml defines the customers' `outbox` channel: their notice is given up.
            let tick = try await world.run(["tick"])
            #expect(tick.stdout.contains("given up"), "\(tick)")
            #expect(tick.status == 1, "\(tick)")
        }
    }
}
