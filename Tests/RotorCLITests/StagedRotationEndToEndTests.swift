import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// Staged playbooks through the real binary, with real files, a real vendor script and a real app: staging is
/// written and checked before production; a failure in production rolls staging back too; a stage marked
/// `approve: true` waits for `rotor approve` (or `rotor resolve --cancel`); a crash between stages resumes.
@Suite("Staged rotations end to end", .serialized)
struct StagedRotationEndToEndTests {
    static func stagingFile(_ world: World) -> String { "\(world.dir)/staging.env" }

    /// staging: a file and a check that reads it back; production: the app's file and its health check.
    static func writeStagedPlaybook(_ world: World, approve: Bool, current: String) throws {
        try "APP_TOKEN=\(current)\n".write(toFile: stagingFile(world), atomically: true, encoding: .utf8)
        let reads = "import json,sys; v=json.load(sys.stdin)['value']; "
            + "sys.exit(0 if ('APP_TOKEN=' + v) in open('\(stagingFile(world))').read().split() else 1)"
        let playbook = """
            secret: app-token
            owner: e2e
            grace: 1h
            source:
              provider: exec
              command: ["python3", "\(world.dir)/vendor.py", "\(world.vendorState)", "\(world.nextValueFile)"]
              timeout: 10s
            stages:
              - name: staging
                targets:
                  - { provider: file, path: "\(stagingFile(world))", format: dotenv, key: APP_TOKEN }
                checks:
                  - { provider: exec, command: ["python3", "-c", "\(reads)"] }
              - name: production
                approve: \(approve)
                targets:
                  - { provider: file, path: "\(world.envFile)", format: dotenv, key: APP_TOKEN }
                checks:
                  - { provider: http, url: "\(world.app.url)/health", headers: { X-App-Token: "{{value}}" }, retries: 1, interval: 1s }
            """
        try playbook.write(toFile: "\(world.dir)/Playbooks/app-token.yml", atomically: true, encoding: .utf8)
    }

    static func stagingValue(_ world: World) throws -> String? {
        try String(contentsOfFile: stagingFile(world), encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("APP_TOKEN=") }.map { String($0.dropFirst("APP_TOKEN=".count)) }
    }

    static func rotation(_ world: World) async throws -> RotationRecord? {
        try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first }
    }

    static func canary() -> String { "e2e_CANARY_" + UUID().uuidString.replacingOccurrences(of: "-", with: "") }

    @Test(arguments: Backend.allCases)
    func aFailureInProductionRollsStagingBackToo(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            try Self.writeStagedPlaybook(world, approve: false, current: old)
            let canary = Self.canary()
            try canary.write(toFile: world.nextValueFile, atomically: true, encoding: .utf8)
            try world.setAppDown(true)
            let rotated = try await world.run(["rotate", "app-token"])
            #expect(rotated.status == 1, "\(rotated)")
            let rotation = try #require(try await Self.rotation(world))
            #expect(rotation.state == .rolledBack)
            #expect(try Self.stagingValue(world) == old, "staging holds the old value again")
            #expect(try world.fileValue() == old, "production holds the old value again")
            #expect(try world.isLive(old))
            #expect(try !world.isLive(canary), "the new value is revoked at the vendor")
            let journal = try await world.withStore { tx, _ in try tx.journal(rotationID: rotation.id) }
            let done = Set(journal.filter { $0.phase == .succeeded }.map(\.step))
            #expect(done.isSuperset(of: ["propagate:0", "verify:0", "propagate:1", "undo:propagate:1", "undo:propagate:0"]),
                    "staging was written and checked before production, and both were undone: \(done.sorted())")
            #expect(!done.contains("revoke"))
            let outputs = [rotated.stdout, rotated.stderr,
                           try await world.run(["status", "app-token", "--json"]).stdout,
                           try await world.run(["history", "app-token", "--json"]).stdout,
                           try await world.run(["audit", "export", "--format", "json"]).stdout]
            #expect(!outputs.joined().contains(canary), "the new value appears in no output")
        }
    }

    @Test(arguments: Backend.allCases)
    func aStageMarkedApproveWaitsForRotorApprove(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            try Self.writeStagedPlaybook(world, approve: true, current: old)
            let canary = Self.canary()
            try canary.write(toFile: world.nextValueFile, atomically: true, encoding: .utf8)
            var outputs: [String] = []
            func run(_ arguments: [String], stdin: String? = nil) async throws -> RotorProcess.Result {
                let result = try await world.run(arguments, stdin: stdin)
                outputs.append("\(result.stdout)\n\(result.stderr)")
                return result
            }
            let plan = try await run(["plan", "app-token"])
            #expect(plan.stdout.contains("staging → production (needs approval)"), "\(plan)")
            #expect(plan.stdout.contains("[production] wait for approval"), "\(plan)")

            let rotated = try await run(["rotate", "app-token"])
            #expect(rotated.status == 0, "\(rotated)")
            #expect(rotated.stdout.contains("waiting for approval before stage production"), "\(rotated)")
            #expect(try await Self.rotation(world)?.state == .awaitingApproval)
            #expect(try Self.stagingValue(world) == canary, "staging holds the new value")
            #expect(try world.fileValue() == old, "production is untouched until approved")

            let status = try await run(["status", "app-token"])
            #expect(status.stdout.contains("stage     production (2 of 2): waiting for approval"), "\(status)")
            let json = try await run(["status", "app-token", "--json"])
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            let stage = object?["stage"] as? [String: Any]
            #expect(object?["state"] as? String == "awaiting_approval")
            #expect(stage?["name"] as? String == "production" && stage?["awaiting_approval"] as? Bool == true, "\(json.stdout)")
            #expect(try await run(["tick"]).status == 0)
            #expect(try await Self.rotation(world)?.state == .awaitingApproval, "a tick does not move a waiting rotation on")

            let unconfirmed = try await run(["approve", "app-token"], stdin: "")
            #expect(unconfirmed.status == 2, "off a terminal without --yes: \(unconfirmed)")
            #expect(try world.fileValue() == old)

            let approved = try await run(["approve", "app-token", "--yes", "--json"])
            #expect(approved.status == 0, "\(approved)")
            let outcome = try JSONSerialization.jsonObject(with: Data(approved.stdout.utf8)) as? [String: Any]
            #expect(outcome?["schema_version"] as? Int == 1)
            #expect((outcome?["rotation"] as? [String: Any])?["state"] as? String == "grace", "\(approved.stdout)")
            #expect(try world.fileValue() == canary && Self.stagingValue(world) == canary)
            #expect(try world.isLive(old), "the old value stays valid through grace")

            let again = try await run(["approve", "app-token", "--yes"])
            #expect(again.status == 1 && again.stderr.contains("no rotation of app-token is waiting for an approval"), "\(again)")
            let audit = try await run(["audit", "export", "--format", "json"])
            #expect(audit.stdout.contains("stage.approved") && audit.stdout.contains("e2e-test"), "who approved is audited")
            let requests = try await world.withStore { tx, _ in
                try tx.notifications(org: nil, secretName: nil, limit: 100).filter { $0.kind == "approval-request" }.count
            }
            #expect(requests == 0, "the playbook has no channels: nothing is queued")
            #expect(!outputs.joined().contains(canary), "the new value appears in no output")
        }
    }

    @Test(arguments: Backend.allCases)
    func resolveCancelRollsBackTheStagesAlreadyLive(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            try Self.writeStagedPlaybook(world, approve: true, current: old)
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
            let new = try #require(try Self.stagingValue(world))
            #expect(new != old)
            let cancelled = try await world.run(["resolve", "app-token", "--cancel", "--reason", "change freeze", "--yes"])
            #expect(cancelled.status == 0, "\(cancelled)")
            #expect(try await Self.rotation(world)?.state == .rolledBack)
            let reason = try await Self.rotation(world)?.error
            #expect(reason?.contains("cancelled by cli:e2e-test: change freeze") == true, "\(String(describing: reason))")
            #expect(try Self.stagingValue(world) == old && world.fileValue() == old)
            #expect(try !world.isLive(new) && world.isLive(old))
            #expect(try await world.run(["rotate", "app-token"]).status == 0, "the secret is free again")
        }
    }

    /// `kill -9` at the boundary between the stages (after staging's check was journaled, and after the approval
    /// before production's first write): `rotor tick` takes the rotation up at the stage it was in.
    @Test(arguments: Backend.allCases, ["crash-after:verify:0", "crash-before:propagate:1"])
    func aCrashBetweenStagesResumesAtTheNextStage(_ backend: Backend, fault: String) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let approve = fault.hasSuffix("propagate:1")
            try Self.writeStagedPlaybook(world, approve: approve, current: old)
            if approve {
                #expect(try await world.run(["rotate", "app-token"]).status == 0)
                let crashed = try await world.run(["approve", "app-token", "--yes"], env: ["ROTOR_FAULT": fault])
                #expect(crashed.status == 137, "\(crashed)")
            } else {
                let crashed = try await world.run(["rotate", "app-token"], env: ["ROTOR_FAULT": fault])
                #expect(crashed.status == 137, "\(crashed)")
            }
            let new = try #require(try Self.stagingValue(world))
            #expect(new != old)
            #expect(try world.fileValue() == old, "production not written before the crash")
            #expect(try await world.run(["tick"]).status == 0)
            #expect(try await Self.rotation(world)?.state == .grace)
            #expect(try world.fileValue() == new && Self.stagingValue(world) == new)
            #expect(try world.isLive(old) && world.isLive(new))
            let approvals = try await world.withStore { tx, _ in
                try tx.rotations(secretName: "app-token").flatMap { try tx.journal(rotationID: $0.id) }.filter { $0.step == "approve:1" }.count
            }
            #expect(approvals == (approve ? 1 : 0))
        }
    }
}
