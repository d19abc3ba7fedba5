import Foundation
import Logging
import RotorCore
@testable import RotorStore
import RotorTestSupport
import Testing

/// `rotor audit verify` as a user and an auditor run it, on SQLite and PostgreSQL: a realistic run (rotations, a skip,
/// customer keys imported and rotated in bulk) leaves an intact chain; an export verifies offline with rotor and with
/// the README's few lines of Python; an edited export and an edited database are refused naming the first bad row.
@Suite("Audit chain end to end", .serialized)
struct AuditChainEndToEndTests {
    /// The README's verifier, word for word (README "Verifying the audit log").
    static let python = """
        import hashlib, json, sys
        FIELDS = ["id", "at_ms", "subject", "subject_kind", "action", "old_fingerprint", "old_last4", "new_fingerprint",
                  "new_last4", "trigger", "actor", "reason", "outcome", "rotation_id", "detail", "simulated_now"]
        rows = sorted((json.loads(line) for line in open(sys.argv[1]) if line.strip()), key=lambda r: r["id"])
        prev = "0" * 64
        for r in rows:
            r["simulated_now"] = 1 if r.get("simulated_now") else 0
            content = b"rotor-audit-v1"
            for name in FIELDS:
                v = None if r.get(name) is None else str(r[name]).encode()
                content += b"\\n-" if v is None else b"\\n%d:%s" % (len(v), v)
            if r["prev_hash"] != prev or hashlib.sha256(bytes.fromhex(prev) + content).hexdigest() != r["hash"]:
                sys.exit(f"broken at row {r['id']}")
            prev = r["hash"]
        print("intact; head: row", rows[-1]["id"], prev)
        """

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
    }

    /// Rotations, a skip, 300 imported customer keys rotated in bulk by a tick a year ahead.
    static func realisticRun(_ world: World) async throws {
        try world.writePlaybook(grace: "1h", schedule: "{ every: 30d, warn_before: [] }")
        try "channels:\n  customers: { type: outbox }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
        try KeyTablePlaybookTests.writeKeyTable(world, notify: [])
        _ = try await world.initialise()
        #expect(try await world.run(["rotate", "app-token", "--reason", "quarterly"]).status == 0)
        #expect(try await world.run(["skip", "app-token", "--for", "10d", "--reason", "freeze"]).status == 0)
        let csv = "org,name,scopes,key\n" + (0..<300).map { "acme,k\($0),read,\n" }.joined()
        try csv.write(toFile: "\(world.dir)/keys.csv", atomically: true, encoding: .utf8)
        let imported = try await world.run(["keys", "import", "keys.csv", "--out", "minted.jsonl"])
        #expect(imported.status == 0, "\(imported)")
        let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(400 * 86_400))])
        #expect(tick.status == 0 || tick.status == 1, "\(tick)")
    }

    @Test(arguments: Backend.allCases)
    func aRealRunVerifiesAndItsExportVerifiesOfflineUntilSomeoneEditsIt(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try await Self.realisticRun(world)
            let verified = try await world.run(["audit", "verify", "--json"])
            #expect(verified.status == 0, "\(verified)")
            let document = try Self.json(verified.stdout)
            let rows = try #require(document["rows_checked"] as? Int)
            #expect(document["intact"] as? Bool == true && document["keyed"] as? Bool == true && document["schema_version"] as? Int == 1)
            #expect(rows > 600, "rotations, a skip, 300 imports and 300 bulk rotations: \(rows) rows")
            let export = try await world.run(["audit", "export", "--json"]).stdout
            #expect(export.components(separatedBy: #""action":"key.rotated""#).count - 1 == 300, "the bulk path wrote its rows")
            let head = try #require(document["head"] as? [String: Any])
            let headHash = try #require(head["hash"] as? String)
            let text = try await world.run(["audit", "verify"])
            #expect(text.status == 0 && text.stdout.contains("[ok] audit chain intact") && text.stdout.contains(headHash), "\(text)")

            // Offline: the JSON Lines and the CSV export, with rotor and with the README's Python.
            #expect(try await world.run(["audit", "export", "--json", "--out", "audit.jsonl"]).status == 0)
            #expect(try await world.run(["audit", "export", "--out", "audit.csv"]).status == 0)
            for file in ["audit.jsonl", "audit.csv"] {
                let offline = try await world.run(["audit", "verify", "--file", file, "--json"], env: ["ROTOR_HOME": "/nonexistent"])
                #expect(offline.status == 0, "\(file): \(offline)")
                let result = try Self.json(offline.stdout)
                #expect(result["intact"] as? Bool == true && result["keyed"] as? Bool == false && result["rows_checked"] as? Int == rows)
                #expect((result["head"] as? [String: Any])?["hash"] as? String == headHash, "the auditor compares the head")
            }
            try Self.python.write(toFile: "\(world.dir)/verify.py", atomically: true, encoding: .utf8)
            let python = try await world.rotor.run(["verify.py", "audit.jsonl"], executable: "/usr/bin/python3")
            #expect(python.status == 0 && python.stdout.contains(headHash), "\(python)")

            // An export edited by hand: one actor changed on row 3.
            let lines = try String(contentsOfFile: "\(world.dir)/audit.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
            let edited = lines.map { $0.contains(#""id":3,"#) ? $0.replacingOccurrences(of: #""actor":""#, with: #""actor":"x"#) : $0 }
            try (edited.joined(separator: "\n") + "\n").write(toFile: "\(world.dir)/edited.jsonl", atomically: true, encoding: .utf8)
            let refused = try await world.run(["audit", "verify", "--file", "edited.jsonl"])
            #expect(refused.status == 1 && refused.stdout.contains("[failed] audit chain broken at row 3"), "\(refused)")
            #expect(try await world.rotor.run(["verify.py", "edited.jsonl"], executable: "/usr/bin/python3").status != 0)
            // A row taken out of the export.
            let missing = lines.filter { !$0.contains(#""id":5,"#) }
            try (missing.joined(separator: "\n") + "\n").write(toFile: "\(world.dir)/missing.jsonl", atomically: true, encoding: .utf8)
            let gap = try await world.run(["audit", "verify", "--file", "missing.jsonl", "--json"])
            #expect(gap.status == 1, "\(gap)")
            #expect((try Self.json(gap.stdout)["first_bad"] as? [String: Any])?["id"] as? Int == 6, "\(gap)")
        }
    }

    @Test(arguments: Backend.allCases)
    func verifyNamesARowEditedInTheDatabase(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token", "--reason", "quarterly"]).status == 0)
            #expect(try await world.run(["audit", "verify"]).status == 0)
            var logger = Logger(label: "e2e")
            logger.logLevel = .error
            let store = try #require(try await openStore(url: world.storeURL, logger: logger) as? SQLStore)
            try await store.sqlTransaction { _ = try $0.execute("UPDATE audit_events SET reason = 'routine' WHERE id = 2") }
            await store.close()
            let broken = try await world.run(["audit", "verify"])
            #expect(broken.status == 1, "\(broken)")
            #expect(broken.stdout.contains("[failed] audit chain broken at row 2") && broken.stdout.contains("edited"), "\(broken)")
            #expect(broken.stdout.contains("last good: row 1"), "\(broken)")
        }
    }

    /// Rows whose MACs are gone (here: deleted with raw SQL, as an upgrade without the master key leaves them) are
    /// not blessed by the next `rotor` start; `rotor audit adopt` needs --yes off a terminal, then gives them MACs and
    /// records itself; an edit the hashes show is refused.
    @Test(arguments: Backend.allCases)
    func auditAdoptGivesRowsWithoutAMACOneOnlyWhenAskedAndOnlyWhileTheHashesLink(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token", "--reason", "quarterly"]).status == 0)
            var logger = Logger(label: "e2e")
            logger.logLevel = .critical
            func raw(_ sql: String) async throws {
                let store = try #require(try await openStore(url: world.storeURL, logger: logger) as? SQLStore)
                try await store.sqlTransaction { _ = try $0.execute(sql) }
                await store.close()
            }
            try await raw("UPDATE audit_events SET mac = NULL")
            let unkeyed = try await world.run(["audit", "verify", "--json"])
            #expect(unkeyed.status == 1 && unkeyed.stdout.contains("no MAC"), "\(unkeyed)")
            let refused = try await world.run(["audit", "adopt", "--reason", "restored rows"])
            #expect(refused.status == 2, "Confirmation off a terminal: \(refused)")
            let adopted = try await world.run(["audit", "adopt", "--reason", "restored rows, ticket SEC-31", "--yes", "--json"])
            #expect(adopted.status == 0, "\(adopted)")
            let document = try Self.json(adopted.stdout)
            #expect(document["schema_version"] as? Int == 1 && (document["rows_adopted"] as? Int ?? 0) > 3, "\(document)")
            let verified = try await world.run(["audit", "verify"])
            #expect(verified.status == 0, "\(verified)")
            let export = try await world.run(["audit", "export", "--json"]).stdout
            #expect(export.contains(#""action":"audit.adopted""#) && export.contains("restored rows, ticket SEC-31"), "\(export)")
            #expect(try await world.run(["audit", "adopt", "--reason", "again", "--yes"]).stdout.contains("nothing to adopt"))
            try await raw("UPDATE audit_events SET reason = 'routine', mac = NULL WHERE id = 2")
            let edited = try await world.run(["audit", "adopt", "--reason", "hide it", "--yes"])
            #expect(edited.status == 1 && edited.stderr.contains("hash chain itself is broken at row 2"), "\(edited)")
        }
    }

    /// Two `rotor` processes append at once, each a bulk import and single key creations: one chain, no fork.
    @Test(arguments: Backend.allCases)
    func twoProcessesAppendingAtOnceKeepOneChain(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            for name in ["a", "b"] {
                let csv = "org,name,scopes,key\n" + (0..<200).map { "\(name),k\($0),read,\n" }.joined()
                try csv.write(toFile: "\(world.dir)/\(name).csv", atomically: true, encoding: .utf8)
            }
            func writer(_ name: String) async throws -> [Int32] {
                var statuses: [Int32] = []
                for round in 0..<4 {
                    statuses.append(try await world.run(["keys", "create", "--org", name, "--name", "c\(round)"]).status)
                    if round == 1 {
                        statuses.append(try await world.run(["keys", "import", "\(name).csv", "--out", "\(name).jsonl"]).status)
                    }
                }
                return statuses
            }
            async let first = writer("a")
            async let second = writer("b")
            let statuses = try await first + second
            #expect(statuses.allSatisfy { $0 == 0 }, "\(statuses)")
            let verified = try await world.run(["audit", "verify", "--json"])
            #expect(verified.status == 0, "\(verified)")
            let document = try Self.json(verified.stdout)
            #expect(document["intact"] as? Bool == true && document["rows_checked"] as? Int == 2 * (200 + 4), "\(verified)")
        }
    }

    /// Broken, hostile and huge files are refused with the line, never a crash.
    @Test func hostileExportsAreRefusedNamingTheLine() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let cases: [(String, String)] = [
                ("empty", ""),
                ("not json", "{\"id\": 1,\n"),
                ("no chain", "{\"id\":1,\"at_ms\":0,\"subject\":\"s\",\"subject_kind\":\"secret\",\"action\":\"a\",\"actor\":\"x\",\"outcome\":\"o\"}\n"),
                ("binary", String(decoding: (0..<4096).map { UInt8($0 % 256) }, as: UTF8.self)),
                ("huge", "{\"id\":1,\"detail\":\"" + String(repeating: "A", count: 5_000_000) + "\"}\n"),
                ("csv ragged", "timestamp,id\n1,2,3\n"),
            ]
            for (name, content) in cases {
                try content.write(toFile: "\(world.dir)/\(name).x", atomically: true, encoding: .utf8)
                let result = try await world.run(["audit", "verify", "--file", "\(name).x"])
                #expect(result.status == 1 && result.stdout.contains("[failed]"), "\(name): \(result)")
            }
            #expect(try await world.run(["audit", "verify", "--file", "nowhere.jsonl"]).status == 1)
        }
    }
}
