import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// Known secret values go through every path, then every output is searched for them. The only place
/// they may appear is the target file (and the vendor's own state, which is the vendor's business).
@Suite("Canary: secrets never leak", .serialized)
struct CanaryTests {
    @Test func noValueReachesLogsOutputAuditStatusNotificationsOrTheDatabaseFile() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let canaryOld = "canary_old_7f3a9b" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let canaryNew = "canary_new_c41d2e" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let canaryFailed = "canary_bad_0b9e71" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            var outputs: [String] = []
            func run(_ arguments: [String], stdin: String? = nil) async throws -> Int32 {
                let result = try await world.run(arguments, stdin: stdin)
                outputs.append("$ rotor \(arguments.joined(separator: " "))\n\(result.stdout)\n\(result.stderr)")
                return result.status
            }

            _ = try await run(["init"])
            try world.vendorAdopt(canaryOld)
            try world.setFile(canaryOld)
            #expect(try await run(["import", "app-token"], stdin: canaryOld) == 0)
            // A rotation that rolls back (the app is down), minting a canary…
            try canaryFailed.write(toFile: world.nextValueFile, atomically: true, encoding: .utf8)
            try world.setAppDown(true)
            #expect(try await run(["rotate", "app-token", "--reason", "canary run"]) == 1)
            try world.setAppDown(false)
            // …and one that succeeds and is revoked after grace.
            try canaryNew.write(toFile: world.nextValueFile, atomically: true, encoding: .utf8)
            #expect(try await run(["rotate", "app-token"]) == 0)
            #expect(try world.fileValue() == canaryNew, "the target file is where the value belongs")
            #expect(try await run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))]) == 0)
            for arguments in [["status"], ["status", "--json"], ["status", "app-token", "--json"], ["history", "app-token"],
                              ["history", "app-token", "--json"], ["plan", "app-token"], ["plan", "app-token", "--json"],
                              ["audit", "export"], ["audit", "export", "--format", "json"], ["doctor"], ["validate"]] {
                _ = try await run(arguments)
            }
            // Customer keys: the key is printed once to the operator, and must appear nowhere else.
            let created = try await world.run(["keys", "create", "--org", "acme", "--json"])
            let key = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any])["key"] as? String
            outputs.append(created.stderr)
            _ = try await run(["keys", "verify", "--stdin"], stdin: key)
            _ = try await run(["keys", "list", "--json"])
            _ = try await run(["audit", "export"])

            let notifications = try await world.withStore { tx, _ in
                try tx.notifications(org: nil, secretName: nil, limit: 1000).map { "\($0.subject)\n\($0.body)" }
            }
            let journal = try await world.withStore { tx, _ in
                try tx.rotations(secretName: "app-token").flatMap { try tx.journal(rotationID: $0.id) }.map { "\($0.step) \($0.detail ?? "")" }
            }
            var database = Data()
            for suffix in ["", "-wal", "-shm"] {
                database += (FileManager.default.contents(atPath: "\(world.home)/rotor.db\(suffix)") ?? Data())
            }
            let databaseText = String(decoding: database, as: UTF8.self)
            let everything = (outputs + notifications + journal).joined(separator: "\n")
            #expect(!everything.isEmpty && everything.contains("rotation completed"), "the run produced output to search")
            for canary in [canaryOld, canaryNew, canaryFailed, key ?? "no key"] {
                #expect(!everything.contains(canary), "a value leaked into output, logs, notifications or the journal")
                #expect(!databaseText.contains(canary) && database.range(of: Data(canary.utf8)) == nil,
                        "a value is in the SQLite file in plain text")
            }
            // The search can find things: the fingerprint-and-last-4 form is there.
            #expect(everything.contains(String(canaryNew.suffix(4))))
        }
    }
}
