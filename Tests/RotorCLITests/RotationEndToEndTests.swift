import Foundation
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// The rotation engine through the `rotor` binary, on SQLite and PostgreSQL: file target, http check
/// against a loopback app, an exec vendor source that really revokes.
@Suite("Rotation end to end", .serialized)
struct RotationEndToEndTests {
    @Test(arguments: Backend.allCases)
    func importRotateTickCompletesAndRevokesTheOldValueOnlyAfterGrace(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()

            let rotated = try await world.run(["rotate", "app-token", "--reason", "quarterly"])
            #expect(rotated.status == 0, "\(rotated)")
            #expect(rotated.stdout.contains("[ok] new key generated"))
            #expect(rotated.stdout.contains("APP_TOKEN updated"))
            let new = try #require(try world.fileValue())
            #expect(new != old)
            #expect(try world.isLive(new))
            #expect(try world.isLive(old), "the old value stays valid through grace")

            let status = try await world.run(["status", "app-token", "--json"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
            #expect(json["state"] as? String == "grace")
            #expect((json["rotation"] as? [String: Any])?["state"] as? String == "grace")
            #expect(json["grace_ends_at"] != nil)
            #expect((json["current"] as? [String: Any])?["last4"] as? String == String(new.suffix(4)))

            // A tick before the grace end changes nothing.
            let early = try await world.run(["tick"])
            #expect(early.status == 0, "\(early)")
            #expect(try world.isLive(old))

            let late = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))])
            #expect(late.status == 0, "\(late)")
            #expect(try !world.isLive(old), "revoked at the vendor after grace")
            #expect(try world.isLive(new))
            let labels = try await world.withStore { tx, _ in try tx.versions(secretName: "app-token").map(\.label) }
            #expect(labels.sorted { $0.rawValue < $1.rawValue } == [.current, .revoked])
            let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
            #expect(rotations.map(\.state) == [.completed])

            let history = try await world.run(["history", "app-token", "--json"])
            #expect(history.status == 0)
            #expect(history.stdout.contains("\"revoke\""))
            #expect(history.stdout.contains("quarterly"))
        }
    }

    @Test(arguments: Backend.allCases)
    func aFailingCheckRestoresTheFileRevokesTheNewValueAndExitsOne(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            try world.setAppDown(true)

            let rotated = try await world.run(["rotate", "app-token"])
            #expect(rotated.status == 1, "\(rotated)")
            #expect(rotated.stdout.contains("rolled back"))
            #expect(try world.fileValue() == old)
            #expect(try world.isLive(old))
            let (labels, state) = try await world.withStore { tx, _ in
                (try tx.versions(secretName: "app-token").map(\.label), try tx.rotations(secretName: "app-token").first?.state)
            }
            #expect(labels.filter { $0 == .failed }.count == 1, "the new version is failed")
            #expect(labels.filter { $0 == .current }.count == 1)
            #expect(state == .rolledBack)
            let live = try world.vendorJSON()["live"] as? [String: String] ?? [:]
            #expect(Array(live.values) == [old], "the new credential was revoked at the vendor")
            // The file kept every other entry byte for byte.
            let text = try String(contentsOfFile: world.envFile, encoding: .utf8)
            #expect(text == "APP_NAME=demo\n# keep this comment\nAPP_TOKEN=\(old)\nTAIL=\"x y\"\n")
        }
    }

    @Test(arguments: Backend.allCases)
    func aSecondRotateWhileOneIsInGraceIsRefusedNamingIt(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
            let second = try await world.run(["rotate", "app-token"])
            #expect(second.status == 1)
            let active = try await world.withStore { tx, _ in try tx.activeRotation(secretName: "app-token")?.id }
            #expect(second.stderr.contains(try #require(active)), "\(second)")
        }
    }

    @Test func planChangesNothingAnywhere() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let vendorBefore = try Data(contentsOf: URL(fileURLWithPath: world.vendorState))
            let fileBefore = try Data(contentsOf: URL(fileURLWithPath: world.envFile))
            let auditBefore = try await world.run(["audit", "export", "--format", "json"]).stdout
            let plan = try await world.run(["plan", "app-token"])
            #expect(plan.status == 0, "\(plan)")
            #expect(plan.stdout.contains("APP_TOKEN"))
            #expect(plan.stdout.contains("revoke"))
            #expect(try Data(contentsOf: URL(fileURLWithPath: world.vendorState)) == vendorBefore)
            #expect(try Data(contentsOf: URL(fileURLWithPath: world.envFile)) == fileBefore)
            #expect(try await world.run(["audit", "export", "--format", "json"]).stdout == auditBefore)
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").count } == 0)
            #expect(try world.fileValue() == old)
        }
    }
}

@Suite("A rollback that cannot finish", .serialized)
struct FailedUndoTests {
    @Test(arguments: Backend.allCases)
    func aFailedUndoEndsFailedNamesWhatEachTargetHoldsAndALaterTickFinishesTheRollback(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            // A second target, a command that keeps the value in a side file and refuses to restore while `block` exists.
            let script = """
                import json, os, sys
                request = json.load(sys.stdin)
                if request["action"] == "restore" and os.path.exists("\(world.dir)/block"):
                    print("restore blocked by the test", file=sys.stderr); sys.exit(1)
                open("\(world.dir)/side", "w").write(request.get("value") or "")
                """
            try script.write(toFile: "\(world.dir)/side.py", atomically: true, encoding: .utf8)
            var playbook = try String(contentsOfFile: "\(world.dir)/Playbooks/app-token.yml", encoding: .utf8)
            playbook = playbook.replacingOccurrences(of: "checks:", with: """
                  - provider: exec
                    command: ["python3", "\(world.dir)/side.py"]
                checks:
                """)
            try playbook.write(toFile: "\(world.dir)/Playbooks/app-token.yml", atomically: true, encoding: .utf8)
            let old = try await world.initialise()
            try old.write(toFile: "\(world.dir)/side", atomically: true, encoding: .utf8)
            try world.setAppDown(true)
            FileManager.default.createFile(atPath: "\(world.dir)/block", contents: Data())

            let rotated = try await world.run(["rotate", "app-token"])
            #expect(rotated.status == 1, "\(rotated)")
            #expect(rotated.stdout.contains("FAILED"), "\(rotated)")
            let new = try String(contentsOfFile: "\(world.dir)/side", encoding: .utf8)
            #expect(new != old, "the side target still holds the new value")
            #expect(try world.fileValue() == old, "the file target was restored")
            // The message names each target and what it holds, by last 4 and fingerprint, never the value.
            #expect(rotated.stdout.contains("targets now:"))
            #expect(rotated.stdout.contains(String(new.suffix(4))) && rotated.stdout.contains(String(old.suffix(4))))
            #expect(!rotated.stdout.contains(new) && !rotated.stderr.contains(new))
            #expect(try world.isLive(new), "the new credential stays valid while a target holds it")
            let status = try await world.run(["status", "app-token", "--json"])
            #expect(status.stdout.contains("\"failed\"") && status.stdout.contains("undo failed"), "\(status)")

            // A tick retries the undo; still blocked, still failed (and loud: exit 1).
            let stillBlocked = try await world.run(["tick"])
            #expect(stillBlocked.status == 1, "\(stillBlocked)")
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state } == .failed)

            // Once the target accepts the restore, the next tick finishes the rollback.
            try FileManager.default.removeItem(atPath: "\(world.dir)/block")
            let fixed = try await world.run(["tick"])
            #expect(fixed.status == 0, "\(fixed)")
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state } == .rolledBack)
            #expect(try String(contentsOfFile: "\(world.dir)/side", encoding: .utf8) == old)
            #expect(try !world.isLive(new), "the new credential is revoked once no target holds it")
            #expect(try world.isLive(old))

            // And a failed rotation never blocks the next one.
            try world.setAppDown(false)
            let next = try await world.run(["rotate", "app-token"])
            #expect(next.status == 0, "\(next)")
        }
    }
}
