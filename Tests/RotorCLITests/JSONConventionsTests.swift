import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// Every `--json` document of every command, walked key by key: one object with `schema_version` 1, every key
/// snake_case, every time RFC 3339 UTC with milliseconds, nested objects rather than JSON inside strings.
@Suite("JSON conventions", .serialized)
struct JSONConventionsTests {
    static var keyPattern: Regex<Substring> { /^[a-z0-9_]+$/ }
    static var timeLike: Regex<Substring> { /^\d{4}-\d{2}-\d{2}[T ]\d{2}:.*/ }
    static var rfc3339: Regex<Substring> { /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/ }

    /// Problems of one JSON value at `path`: keys not in snake_case, times not in the one format, JSON in a string.
    static func problems(_ value: Any, path: String) -> [String] {
        switch value {
        case let object as [String: Any]:
            return object.flatMap { key, inner -> [String] in
                (key.wholeMatch(of: keyPattern) == nil ? ["\(path): key '\(key)' is not snake_case"] : [])
                    + problems(inner, path: "\(path).\(key)")
            }
        case let list as [Any]:
            return list.enumerated().flatMap { problems($1, path: "\(path)[\($0)]") }
        case let text as String:
            if text.wholeMatch(of: timeLike) != nil, text.wholeMatch(of: rfc3339) == nil {
                return ["\(path): time '\(text)' is not RFC 3339 UTC with milliseconds"]
            }
            if let first = text.first, first == "{" || first == "[",
               (try? JSONSerialization.jsonObject(with: Data(text.utf8))) != nil {
                return ["\(path): JSON inside a string: \(text)"]
            }
            return []
        default:
            return []
        }
    }

    /// Runs `arguments` (which print one JSON document) and checks it; returns the document.
    @discardableResult
    static func document(_ world: World, _ arguments: [String], stdin: String? = nil, status: Set<Int32> = [0],
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let result = try await world.run(arguments, stdin: stdin)
        #expect(status.contains(result.status), "\(arguments): \(result)", sourceLocation: sourceLocation)
        let object = try #require(try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
                                  "\(arguments) did not print one JSON object: \(result)", sourceLocation: sourceLocation)
        check(object, arguments, sourceLocation: sourceLocation)
        return object
    }

    static func check(_ object: [String: Any], _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(object["schema_version"] as? Int == 1, "\(arguments): \(object)", sourceLocation: sourceLocation)
        let found = problems(object, path: arguments.joined(separator: " "))
        #expect(found.isEmpty, "\(found.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    @Test func everyJSONDocumentOfEveryCommandHasSchemaVersionSnakeCaseKeysAndOneTimeFormat() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: "{ every: 30d, warn_before: [7d] }", notify: ["ops"])
            try "channels:\n  outbox: { type: outbox }\n  ops: { type: outbox }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            #expect(try await world.run(["init"]).status == 0)
            let value = "e2e_json_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            try world.vendorAdopt(value)
            try world.setFile(value)
            let imported = try await Self.document(world, ["import", "app-token", "--handle", "h_imported", "--json"], stdin: value)
            #expect(imported["fingerprint"] is String && imported["last4"] as? String == String(value.suffix(4)))

            for arguments in [["version", "--json"], ["doctor", "--json"], ["validate", "--json"], ["status", "--json"],
                              ["status", "app-token", "--json"], ["plan", "app-token", "--json"], ["schedule", "--json"],
                              ["compliance", "--json"], ["skip", "app-token", "--reason", "freeze", "--json"]] {
                try await Self.document(world, arguments)
            }
            let rotated = try await Self.document(world, ["rotate", "app-token", "--reason", "json", "--json"])
            #expect((rotated["rotation"] as? [String: Any])?["state"] as? String == "grace")
            try await Self.document(world, ["status", "app-token", "--targets", "--json"])
            let rolledBack = try await Self.document(world, ["rollback", "app-token", "--reason", "json", "--json"])
            #expect((rolledBack["rotation"] as? [String: Any])?["state"] as? String == "rolled_back", "\(rolledBack)")
            try await Self.document(world, ["rotate", "app-token", "--json"])

            // A revoke that keeps failing: resolve --retry reports it (and exits 1), then the emergency takes over.
            world.setRevokeFails(true)
            try await Self.document(world, ["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600)), "--json"], status: [1])
            try await Self.document(world, ["resolve", "app-token", "--retry", "--json"], status: [1])
            world.setRevokeFails(false)
            try await Self.document(world, ["emergency", "app-token", "--reason", "leak", "--revoke-immediately", "--yes", "--json"])
            try await Self.document(world, ["tick", "--json"])

            let history = try await Self.document(world, ["history", "app-token", "--json"])
            let steps = ((history["rotations"] as? [[String: Any]]) ?? []).flatMap { $0["steps"] as? [[String: Any]] ?? [] }
            let plan = try #require(steps.first { $0["step"] as? String == "plan" }, "\(history)")
            #expect((plan["data"] as? [String: Any])?["grace_seconds"] is Int, "the plan is a nested object: \(plan)")

            // Customer keys.
            let created = try await Self.document(world, ["keys", "create", "--org", "acme", "--json"])
            let (id, key) = (try #require(created["id"] as? String), try #require(created["key"] as? String))
            try await Self.document(world, ["keys", "list", "--json"])
            try await Self.document(world, ["keys", "verify", "--stdin", "--json"], stdin: key)
            let pickedUp = try await Self.document(world, ["keys", "rotate", id, "--deliver", "pickup", "--json"])
            let claimed = try await Self.document(world, ["keys", "claim", "--old-key-stdin", "--json"], stdin: key)
            let newID = try #require(claimed["id"] as? String)
            #expect((pickedUp["new"] as? [String: Any])?["id"] as? String == newID)
            try await Self.document(world, ["emergency", "--key", newID, "--reason", "leak", "--json"])
            let revoked = try await Self.document(world, ["keys", "revoke", id, "--reason", "done", "--yes", "--json"])
            #expect(revoked["status"] as? String == "revoked")
            let notifications = try await Self.document(world, ["notifications", "list", "--json"])
            let alerts = (notifications["notifications"] as? [[String: Any]] ?? []).compactMap { $0["event"] as? [String: Any] }
            #expect(!alerts.isEmpty, "an alert's event is a nested object: \(notifications)")

            // The audit export is JSON Lines: one document per event, each with its schema_version.
            let audit = try await world.run(["audit", "export", "--json"])
            #expect(audit.status == 0)
            let lines = audit.stdout.split(separator: "\n")
            #expect(lines.count > 10, "\(audit)")
            for line in lines {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
                Self.check(event, ["audit", "export", "--json"])
            }
            #expect(try await world.run(["audit", "export", "--format", "json"]).stdout == audit.stdout)
        }
    }

    /// Journal details are read back as JSON when they hold an object: broken, hostile and huge ones stay text,
    /// and the document stays one valid object.
    @Test(arguments: Backend.allCases)
    func historyShowsBrokenHostileAndHugeJournalDetailsAsText(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let details = [
                "{\"targets\": 1, \"checks\": ", // broken
                String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000), // nested past any parser's depth
                "{\"a\": \"" + String(repeating: "x", count: 2_000_000) + "\"}", // huge, but JSON
                "{\"at\": \"\\u001b[2J2026-12-01T03:00:00Z\", \"ok\": true}", // hostile text in a time-looking field
                "[1, 2.5, true, null, \"2026-12-01T03:00:00Z\", {\"graceSeconds\": 3600}]",
            ]
            try await world.withStore { tx, _ in
                let at = Date(timeIntervalSince1970: 1_767_225_600)
                try tx.insertRotation(RotationRecord(id: "rot_details", secretName: "app-token", trigger: .manual, actor: "cli:test",
                                                     reason: nil, state: .failed, createdAt: at, updatedAt: at, completedAt: at))
                for (index, detail) in details.enumerated() {
                    _ = try tx.appendJournal(rotationID: "rot_details", step: "note:\(index)", phase: .started, detail: detail, at: at)
                }
            }
            let history = try await Self.document(world, ["history", "app-token", "--json"])
            let rotation = try #require((history["rotations"] as? [[String: Any]])?.first { ($0["rotation"] as? [String: Any])?["id"] as? String == "rot_details" })
            let steps = try #require(rotation["steps"] as? [[String: Any]])
            #expect(steps.count == details.count)
            #expect(steps[0]["detail"] as? String == details[0] && steps[0]["data"] == nil)
            #expect(steps[1]["detail"] as? String == details[1], "too deep to parse: kept as text")
            #expect(((steps[2]["data"] as? [String: Any])?["a"] as? String)?.count == 2_000_000)
            #expect((steps[3]["data"] as? [String: Any])?["at"] as? String == "\u{1B}[2J2026-12-01T03:00:00Z", "not a time: kept as it is")
            #expect((steps[3]["data"] as? [String: Any])?["ok"] as? Bool == true)
            let list = try #require(steps[4]["data"] as? [Any])
            #expect(list.count == 6 && list[0] as? Int == 1 && list[1] as? Double == 2.5 && list[2] as? Bool == true)
            #expect(list[4] as? String == "2026-12-01T03:00:00.000Z")
            #expect((list[5] as? [String: Any])?["grace_seconds"] as? Int == 3600)
        }
    }

    @Test func theWalkerCatchesWhatItIsFor() {
        #expect(Self.problems(["schema_version": 1, "ok_1": ["at": "2026-12-01T03:00:00.000Z"]], path: "x").isEmpty)
        #expect(Self.problems(["rotationID": "r"], path: "x").count == 1)
        #expect(Self.problems(["a": [["at": "2026-12-01T03:00:00Z"]]], path: "x").count == 1, "seconds only")
        #expect(Self.problems(["at": "2026-12-01T03:00:00.000+01:00"], path: "x").count == 1, "not UTC")
        #expect(Self.problems(["detail": "{\"targets\":1}"], path: "x").count == 1, "JSON in a string")
        #expect(Self.problems(["detail": "[not json"], path: "x").isEmpty)
    }
}
