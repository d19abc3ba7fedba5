import Foundation
import RotorCore
import RotorHTTP
import RotorSandbox
import RotorTestSupport
import Testing

/// Issue 12 through the real binary: at the end of a manual source's grace `rotor tick` asks the owner to revoke the
/// old key and leaves the rotation in `revoking`; without a revoke_check, `rotor resolve --revoked-manually` (a
/// confirmation) completes it, audited with who confirmed. The supplied value appears in no output.
@Suite("Manual source: revoking with a person end to end")
struct ManualRevokeEndToEndTests {
    @Test(arguments: Backend.allCases)
    func aPersonConfirmsTheRevokeWithRotorResolve(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let playbook = """
                secret: app-token
                owner: payments-team
                grace: 1h
                source:
                  provider: manual
                  instructions: Roll the key in the vendor's dashboard, then paste the new one here.
                  revoke_instructions: Expire the old key in the vendor's dashboard.
                  expect: "^rk_test_[A-Za-z0-9]{24,}$"
                targets:
                  - { provider: file, path: "\(world.envFile)", format: dotenv, key: APP_TOKEN }
                checks:
                  - { provider: http, url: "\(world.app.url)/health", headers: { X-App-Token: "{{value}}" }, retries: 1, interval: 1s }
                """
            try playbook.write(toFile: "\(world.dir)/Playbooks/app-token.yml", atomically: true, encoding: .utf8)
            var outputs: [String] = []
            func run(_ arguments: [String], stdin: String? = nil) async throws -> RotorProcess.Result {
                let result = try await world.run(arguments, stdin: stdin)
                outputs.append("\(result.stdout)\n\(result.stderr)")
                return result
            }
            func state() async throws -> RotationState? {
                try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state }
            }
            #expect(try await run(["rotate", "app-token"]).status == 0)
            let canary = "rk_test_CANARY" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            try world.vendorAdopt(canary)
            let supplied = try await run(["supply", "app-token"], stdin: canary + "\n")
            #expect(supplied.status == 0, "\(supplied)")

            let tick = try await run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3_600))])
            #expect(tick.status == 0, "\(tick)")
            #expect(try await state() == .revoking, "grace ended, but nobody has said the old key is revoked")
            let asked = try await world.withStore { tx, _ in
                try tx.notifications(org: nil, secretName: "app-token", limit: 100).filter { $0.kind == "revoke-request" }
            }
            #expect(asked.isEmpty, "the playbook has no channels: the request is audited and shown by status")
            let status = try await run(["status", "app-token", "--json"])
            #expect(status.stdout.contains("revoking"), "\(status.stdout)")

            let refused = try await run(["resolve", "app-token", "--revoked-manually", "--reason", "expired in the dashboard"])
            #expect(refused.status == 2, "a confirmation off a terminal needs --yes: \(refused)")
            #expect(try await state() == .revoking)
            let confirmed = try await run(["resolve", "app-token", "--revoked-manually", "--reason", "expired in the dashboard", "--yes"])
            #expect(confirmed.status == 0 && confirmed.stdout.contains("completed"), "\(confirmed)")
            #expect(try await state() == .completed)

            let audit = try await run(["audit", "export", "--format", "json"])
            #expect(audit.stdout.contains("revoke.requested") && audit.stdout.contains("revoked-manually"))
            #expect(audit.stdout.contains("expired in the dashboard") && audit.stdout.contains("e2e-test"), "who confirmed is audited")
            _ = try await run(["history", "app-token", "--json"])
            let journal = try await world.withStore { tx, _ in
                try tx.rotations(secretName: "app-token").flatMap { try tx.journal(rotationID: $0.id) }.map { $0.detail ?? "" }
            }
            let everything = (outputs + journal).joined(separator: "\n")
            for value in [canary, old] { #expect(!everything.contains(value), "a value leaked into output, audit or the journal") }
        }
    }
}
