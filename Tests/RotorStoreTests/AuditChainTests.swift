import Foundation
import RotorCore
import RotorCrypto
@testable import RotorStore
import Testing

/// The tamper-evident audit log: rows are edited, deleted, inserted and reordered with raw SQL, on a SQLite file and on
/// PostgreSQL, as someone with write access to the database (but not the master key) would; verification names the
/// first bad row.
@Suite("Audit hash chain")
struct AuditChainTests {
    static let masterKey = MasterKey.random()
    static var sealer: Sealer { Sealer(keyring: MasterKeyring(current: masterKey)) }

    /// A store opened as Rotor opens it: with the master key, so rows get MACs.
    static func keyed(_ database: TestDatabase, sealer: Sealer = sealer, poolSize: Int = 4) async throws -> SQLStore {
        try #require(try await openStore(url: database.url, logger: TestDatabase.logger, postgresPoolSize: poolSize,
                                         sealer: sealer) as? SQLStore)
    }

    /// Ten rows: four appended one by one, six as one batch (the bulk path).
    static func appendTen(_ store: any Store) async throws {
        for index in 0..<4 {
            try await store.transaction { _ = try $0.appendAudit(Fixtures.audit("single.\(index)", at: t(Double(index)))) }
        }
        try await store.transaction { tx in
            try tx.appendAuditEvents((4..<10).map { Fixtures.audit("bulk.\($0)", at: t(Double($0))) })
        }
    }

    static func verify(_ store: any Store) async throws -> AuditChainVerification {
        try await store.transaction { try $0.verifyAuditChain() }
    }

    static func raw(_ store: SQLStore, _ sql: String, _ parameters: [SQLValue] = []) async throws {
        try await store.sqlTransaction { _ = try $0.execute(sql, parameters) }
    }

    /// Runs `body` on a keyed store holding ten intact rows.
    static func withTenRows(_ backend: TestBackend, _ body: (SQLStore) async throws -> Void) async throws {
        try await withStore(backend) { _, database in
            let store = try await keyed(database)
            do {
                try await appendTen(store)
                let intact = try await verify(store)
                #expect(intact.intact && intact.keyed && intact.rowsChecked == 10 && intact.headID == 10, "\(intact)")
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }

    @Test(arguments: TestBackend.all)
    func anIntactChainVerifiesWithEveryMACAndTheHead(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            let rows = try await store.sqlTransaction { try $0.auditChainPage(after: 0, limit: 100) }
            #expect(rows.map(\.event.id) == (1...10).map { Int64($0) })
            #expect(rows.first?.prevHash == AuditChain.genesis)
            #expect(zip(rows, rows.dropFirst()).allSatisfy { $0.hash == $1.prevHash }, "each row links to the one before")
            #expect(rows.allSatisfy { $0.mac?.count == 64 })
            let result = try await Self.verify(store)
            #expect(result.headHash == rows.last?.hash)
        }
    }

    @Test(arguments: TestBackend.all)
    func anEditedRowIsNamed(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            try await Self.raw(store, "UPDATE audit_events SET reason = 'nothing to see' WHERE id = 5")
            let result = try await Self.verify(store)
            #expect(result.firstBad?.id == 5 && result.firstBad?.problem.contains("edited") == true, "\(result)")
            #expect(result.rowsChecked == 5 && result.headID == 4)
        }
    }

    @Test(arguments: TestBackend.all)
    func aDeletedRowIsNamedByTheRowAfterIt(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            try await Self.raw(store, "DELETE FROM audit_events WHERE id = 5")
            let result = try await Self.verify(store)
            #expect(result.firstBad?.id == 6 && result.firstBad?.problem.contains("does not follow row 4") == true, "\(result)")
        }
    }

    @Test(arguments: TestBackend.all)
    func deletingTheNewestRowsIsSeenAtTheHead(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            try await Self.raw(store, "DELETE FROM audit_events WHERE id >= 9")
            let result = try await Self.verify(store)
            #expect(result.firstBad?.id == 10 && result.firstBad?.problem.contains("newest rows were deleted") == true, "\(result)")
            // A row appended afterwards still links to the real head, so the gap stays visible.
            try await store.transaction { _ = try $0.appendAudit(Fixtures.audit("after")) }
            #expect(try await Self.verify(store).firstBad?.id == 11)
        }
    }

    @Test(arguments: TestBackend.all)
    func anInsertedRowIsNamed(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            // A row added by hand, without any chain fields.
            try await Self.raw(store, """
                INSERT INTO audit_events (id, at, subject, subject_kind, action, actor, outcome)
                VALUES (11, 0, 'openai-api-key', 'secret', 'rotation.completed', 'scheduler', 'success')
                """)
            let result = try await Self.verify(store)
            #expect(result.firstBad?.id == 11 && result.firstBad?.problem.contains("inserted") == true, "\(result)")
        }
    }

    @Test(arguments: TestBackend.all)
    func reorderedRowsAreNamed(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            // Rows 3 and 4 swap places (ids), everything else as it was.
            try await Self.raw(store, "UPDATE audit_events SET id = -3 WHERE id = 3")
            try await Self.raw(store, "UPDATE audit_events SET id = 3 WHERE id = 4")
            try await Self.raw(store, "UPDATE audit_events SET id = 4 WHERE id = -3")
            let result = try await Self.verify(store)
            #expect(result.firstBad?.id == 3, "\(result)")
        }
    }

    /// Someone with write access but without the master key edits row 5 and rebuilds every hash after it: the hashes
    /// all agree, but the MACs cannot be made.
    @Test(arguments: TestBackend.all)
    func aChainRebuiltWithoutTheKeyIsDetected(_ backend: TestBackend) async throws {
        try await Self.withTenRows(backend) { store in
            for keepOldMACs in [true, false] {
                try await store.sqlTransaction { tx in
                    var rows = try tx.auditChainPage(after: 0, limit: 100)
                    rows[4].event.reason = "rebuilt \(keepOldMACs)"
                    var previous = rows[3].hash ?? ""
                    var rebuilt: [ChainedAuditEvent] = []
                    for row in rows[4...] {
                        var link = AuditChain.link(row.event, after: previous, key: nil)
                        link.mac = keepOldMACs ? row.mac : nil
                        rebuilt.append(link)
                        previous = link.hash ?? ""
                    }
                    for link in rebuilt {
                        try tx.execute("UPDATE audit_events SET reason = ? WHERE id = ?", [SQLValue(link.event.reason), SQLValue(link.event.id)])
                    }
                    try tx.updateAuditLinks(rebuilt)
                    try tx.execute("UPDATE audit_chain SET head_hash = ? WHERE id = 1", [.text(previous)])
                }
                let result = try await Self.verify(store)
                #expect(result.firstBad?.id == 5 && result.firstBad?.problem.contains("MAC") == true, "\(result)")
                // Without the key (an auditor with an export) the rebuilt hashes alone look intact: that is what the MAC is for.
                let rows = try await store.sqlTransaction { try $0.auditChainPage(after: 0, limit: 100) }
                var unkeyed = AuditChainVerifier(key: nil)
                for row in rows { unkeyed.check(row) }
                #expect(unkeyed.result.intact)
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func aStoreWithAnotherChainKeyCannotVerifyTheMACs(_ backend: TestBackend) async throws {
        try await withStore(backend) { _, database in
            let store = try await Self.keyed(database)
            try await Self.appendTen(store)
            await store.close()
            // The chain key is kept sealed in the store: a Rotor with another master key cannot open it, appends
            // without MACs, and verification with the right key names that row.
            let stranger = try await Self.keyed(database, sealer: Sealer(keyring: MasterKeyring(current: .random())))
            try await stranger.transaction { _ = try $0.appendAudit(Fixtures.audit("stranger")) }
            #expect(try await Self.verify(stranger).keyed == false)
            await stranger.close()
            let again = try await Self.keyed(database)
            let result = try await Self.verify(again)
            #expect(result.firstBad?.id == 11 && result.firstBad?.problem.contains("no MAC") == true, "\(result)")
            await again.close()
        }
    }

    /// Runs `body` with a database of its own, not migrated, dropped afterwards.
    static func withDatabase(_ backend: TestBackend, _ body: (TestDatabase) async throws -> Void) async throws {
        try await TestLimiter.shared.run {
            let database = try await TestDatabase.create(backend)
            do {
                try await body(database)
            } catch {
                await database.drop()
                throw error
            }
            await database.drop()
        }
    }

    /// A store at schema 7 holding `count` audit rows written in reverse time order.
    static func oldStore(_ database: TestDatabase, rows count: Int) async throws {
        let old = try await SQLStore.open(url: database.url, poolSize: 1, logger: TestDatabase.logger)
        do {
            try await old.sqlTransaction { tx in
                _ = try Migrator.migrate(tx, migrations: Array(Migration.all.prefix(7)), logger: TestDatabase.logger)
                for index in 0..<count {
                    try tx.insertRows(into: "audit_events", columns: SQLTransaction.auditColumns, width: 15,
                                      [tx.auditValues(Fixtures.audit("old.\(index)", at: t(Double(100 - index))))])
                }
            }
        } catch {
            await old.close()
            throw error
        }
        await old.close()
    }

    /// Rows written before migration 8 are chained in id order when a Rotor holding the master key runs it, and get
    /// their MACs in that same transaction.
    @Test(arguments: TestBackend.all)
    func rowsFromBeforeTheChainGetTheirMACsWhenTheKeyedUpgradeChainsThem(_ backend: TestBackend) async throws {
        try await Self.withDatabase(backend) { database in
            try await Self.oldStore(database, rows: 25)
            let store = try await Self.keyed(database)
            try await store.transaction { _ = try $0.appendAudit(Fixtures.audit("new")) }
            let result = try await Self.verify(store)
            #expect(result.intact && result.keyed && result.rowsChecked == 26 && result.headID == 26, "\(result)")
            await store.close()
        }
    }

    /// Someone with write access to the database, not the master key, edits row 3, rebuilds every hash after it,
    /// deletes every MAC and the chain key (the state of a store upgraded without the key). The next start makes a
    /// new key but blesses nothing: verify names row 1, and only `adopt` — a person with the key and a reason — would
    /// give the rows MACs.
    @Test(arguments: TestBackend.all)
    func aChainRebuiltWithItsKeyAndMACsDeletedIsNotBlessedByTheNextStart(_ backend: TestBackend) async throws {
        try await withStore(backend) { _, database in
            let store = try await Self.keyed(database)
            try await Self.appendTen(store)
            try await store.sqlTransaction { tx in
                var rows = try tx.auditChainPage(after: 0, limit: 100)
                rows[2].event.reason = "rewritten"
                var previous = rows[1].hash ?? ""
                var rebuilt: [ChainedAuditEvent] = []
                for row in rows[2...] {
                    let link = AuditChain.link(row.event, after: previous, key: nil)
                    rebuilt.append(link)
                    previous = link.hash ?? ""
                }
                try tx.execute("UPDATE audit_events SET reason = 'rewritten' WHERE id = 3")
                try tx.updateAuditLinks(rebuilt)
                try tx.execute("UPDATE audit_events SET mac = NULL")
                try tx.execute("UPDATE audit_chain SET head_hash = ? WHERE id = 1", [.text(previous)])
                try tx.execute("DELETE FROM settings WHERE key = ?", [.text(AuditChain.keySetting)])
            }
            await store.close()
            let reopened = try await Self.keyed(database)
            let result = try await Self.verify(reopened)
            #expect(!result.intact && result.keyed && result.firstBad?.id == 1 && result.firstBad?.problem.contains("no MAC") == true,
                    "\(result)")
            await reopened.close()
        }
    }

    /// A store upgraded by a Rotor without the master key keeps its old rows without MACs until a person adopts them:
    /// verify names the first, `adopt` gives them MACs and records itself, and a chain whose hashes are broken is
    /// refused.
    @Test(arguments: TestBackend.all)
    func rowsChainedWithoutTheKeyAreAdoptedOnlyByAPersonAndOnlyWhenTheHashesLink(_ backend: TestBackend) async throws {
        try await Self.withDatabase(backend) { database in
            try await Self.oldStore(database, rows: 25)
            let unkeyed = try await database.open()
            #expect(try await Self.verify(unkeyed).intact)
            await unkeyed.close()
            let store = try await Self.keyed(database)
            try await store.transaction { _ = try $0.appendAudit(Fixtures.audit("new")) }
            let before = try await Self.verify(store)
            #expect(before.firstBad?.id == 1 && before.firstBad?.problem.contains("no MAC") == true, "\(before)")
            let adoption = try await store.transaction { try $0.adoptAuditRows(actor: "alice", reason: "upgraded without the key", at: t(200)) }
            #expect(adoption.rowsAdopted == 25 && adoption.firstAdopted == 1 && adoption.lastAdopted == 25 && adoption.headID == 26,
                    "\(adoption)")
            let after = try await Self.verify(store)
            #expect(after.intact && after.keyed && after.rowsChecked == 27, "\(after)")
            let record = try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: "audit", limit: nil) }
            #expect(record.map(\.action) == ["audit.adopted"] && record.first?.actor == "alice"
                    && record.first?.reason == "upgraded without the key", "\(record)")
            // An edit the hashes show is never adopted.
            try await Self.raw(store, "UPDATE audit_events SET reason = 'edited' WHERE id = 4")
            await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.adoptAuditRows(actor: "mallory", reason: "hide it", at: t(300)) }
            }
            #expect(try await Self.verify(store).firstBad?.id == 4)
            await store.close()
        }
    }

    /// Rows written before migration 8 are chained in id order when it runs (here by a Rotor without the master key:
    /// the hashes verify, the MACs wait for `adopt`).
    @Test(arguments: TestBackend.all)
    func rowsFromBeforeTheChainAreChainedInOrderAtMigration(_ backend: TestBackend) async throws {
        try await Self.withDatabase(backend) { database in
            try await Self.oldStore(database, rows: 25)
            let unkeyed = try await database.open()
            let beforeKey = try await Self.verify(unkeyed)
            #expect(beforeKey.intact && !beforeKey.keyed && beforeKey.rowsChecked == 25, "\(beforeKey)")
            await unkeyed.close()
            let store = try await Self.keyed(database)
            try await store.transaction { _ = try $0.appendAudit(Fixtures.audit("new")) }
            let result = try await Self.verify(store)
            #expect(!result.intact && result.keyed && result.firstBad?.id == 1 && result.firstBad?.problem.contains("no MAC") == true,
                    "not blessed by a later start: \(result)")
            let actions = try await store.sqlTransaction { try $0.auditChainPage(after: 0, limit: 100) }.map(\.event.action)
            #expect(actions == (0..<25).map { "old.\($0)" } + ["new"], "chained in id order, not by time")
            await store.close()
        }
    }

    @Test(arguments: TestBackend.all)
    func aRekeyOfTheMasterKeyKeepsTheChainVerifiable(_ backend: TestBackend) async throws {
        try await withStore(backend) { _, database in
            let store = try await Self.keyed(database)
            try await Self.appendTen(store)
            let next = MasterKey.random()
            _ = try await RekeyService(store: store, sealer: Sealer(keyring: MasterKeyring(current: next, others: [Self.masterKey]))).run()
            await store.close()
            let rekeyed = try await Self.keyed(database, sealer: Sealer(keyring: MasterKeyring(current: next)))
            try await rekeyed.transaction { _ = try $0.appendAudit(Fixtures.audit("after.rekey")) }
            let result = try await Self.verify(rekeyed)
            #expect(result.intact && result.keyed && result.rowsChecked == 11, "\(result)")
            await rekeyed.close()
        }
    }

    /// Two daemons (two stores, each with its own pool of connections) append at once, single rows and batches:
    /// one chain, no fork, every row there.
    @Test(arguments: TestBackend.all)
    func concurrentWritersKeepOneChain(_ backend: TestBackend) async throws {
        try await withStore(backend) { _, database in
            let daemons = [try await Self.keyed(database), try await Self.keyed(database)]
            let perWriter = 60
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, daemon) in (daemons + daemons).enumerated() {
                    group.addTask {
                        for round in 0..<perWriter {
                            if round % 10 == 9 {
                                try await daemon.transaction { tx in
                                    try tx.appendAuditEvents((0..<5).map { Fixtures.audit("w\(index).\(round).\($0)") })
                                }
                            } else {
                                try await daemon.transaction { _ = try $0.appendAudit(Fixtures.audit("w\(index).\(round)")) }
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let expected = 4 * (perWriter / 10 * (9 + 5))
            let result = try await Self.verify(daemons[1])
            #expect(result.intact && result.rowsChecked == expected && result.headID == Int64(expected), "\(result)")
            for daemon in daemons { await daemon.close() }
        }
    }
}
