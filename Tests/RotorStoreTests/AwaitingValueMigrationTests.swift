import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// Migration 4 rebuilds `rotations` on SQLite (a CHECK cannot be altered there) and alters it on PostgreSQL: rows and
/// their journals survive, and the constraints still hold, now with `awaiting_value` an active state.
@Suite("Migration 4: awaiting_value")
struct AwaitingValueMigrationTests {
    @Test(arguments: TestBackend.all)
    func rowsAndJournalsSurviveAndTheConstraintsStillHold(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let sqlStore = try #require(store as? SQLStore)
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.upsertSecret(Fixtures.secret("stripe-key"))
                try tx.insertRotation(Fixtures.rotation("rot_done", state: .completed))
                try tx.insertRotation(Fixtures.rotation("rot_wait", of: "stripe-key", state: .awaitingValue))
                try tx.appendJournal(rotationID: "rot_done", step: "generate", phase: .succeeded, detail: "kept", at: t(1))
            }
            // Running the migration's statements again rebuilds (SQLite) or re-alters (PostgreSQL) a table with rows.
            _ = try await sqlStore.sqlTransaction { tx in
                try tx.executeScript(AwaitingValueMigration.migration.sql(tx.dialect))
            }
            let (done, waiting, journal) = try await store.transaction { tx in
                (try tx.rotation(id: "rot_done")?.state, try tx.activeRotation(secretName: "stripe-key")?.id,
                 try tx.journal(rotationID: "rot_done").map(\.detail))
            }
            #expect(done == .completed)
            #expect(waiting == "rot_wait")
            #expect(journal == ["kept"])
            await #expect(throws: (any Error).self, "one active rotation per secret, awaiting_value included") {
                try await store.transaction { try $0.insertRotation(Fixtures.rotation("rot_two", of: "stripe-key", state: .generating)) }
            }
            await #expect(throws: (any Error).self, "the state CHECK still refuses unknown states") {
                _ = try await sqlStore.sqlTransaction { tx in
                    try tx.execute("UPDATE rotations SET state = 'bogus' WHERE id = 'rot_done'")
                }
            }
            // The journal still cascades with its rotation.
            _ = try await sqlStore.sqlTransaction { tx in try tx.execute("DELETE FROM rotations WHERE id = 'rot_done'") }
            #expect(try await store.transaction { try $0.journal(rotationID: "rot_done") }.isEmpty)
        }
    }
}
