import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// Migration 9 rebuilds `rotations` on SQLite and alters it on PostgreSQL: rows and their journals survive, and the
/// constraints still hold, now with `awaiting_approval` an active state that holds its secret.
@Suite("Migration 9: awaiting_approval")
struct AwaitingApprovalMigrationTests {
    @Test(arguments: TestBackend.all)
    func rowsAndJournalsSurviveAndAWaitingApprovalHoldsItsSecret(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let sqlStore = try #require(store as? SQLStore)
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.upsertSecret(Fixtures.secret("stripe-key"))
                try tx.insertRotation(Fixtures.rotation("rot_done", state: .completed))
                try tx.insertRotation(Fixtures.rotation("rot_wait", of: "stripe-key", state: .awaitingApproval))
                try tx.appendJournal(rotationID: "rot_wait", step: "approve:1", phase: .succeeded, detail: "approved by ops", at: t(1))
            }
            _ = try await sqlStore.sqlTransaction { tx in
                try tx.executeScript(AwaitingApprovalMigration.migration.sql(tx.dialect))
            }
            let (done, waiting, journal) = try await store.transaction { tx in
                (try tx.rotation(id: "rot_done")?.state, try tx.activeRotation(secretName: "stripe-key")?.state,
                 try tx.journal(rotationID: "rot_wait").map(\.detail))
            }
            #expect(done == .completed)
            #expect(waiting == .awaitingApproval)
            #expect(journal == ["approved by ops"])
            await #expect(throws: (any Error).self, "one active rotation per secret, awaiting_approval included") {
                try await store.transaction { try $0.insertRotation(Fixtures.rotation("rot_two", of: "stripe-key", state: .generating)) }
            }
            await #expect(throws: (any Error).self, "the state CHECK still refuses unknown states") {
                _ = try await sqlStore.sqlTransaction { tx in try tx.execute("UPDATE rotations SET state = 'bogus' WHERE id = 'rot_done'") }
            }
            _ = try await sqlStore.sqlTransaction { tx in try tx.execute("DELETE FROM rotations WHERE id = 'rot_wait'") }
            #expect(try await store.transaction { try $0.journal(rotationID: "rot_wait") }.isEmpty)
        }
    }
}
