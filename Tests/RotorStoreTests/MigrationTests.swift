import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test(arguments: TestBackend.all)
    func openingTwiceAppliesMigrationsOnceAndKeepsTheSameRows(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let first = try await rawRows(store, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            #expect(try first.map { try $0.int("version") } == Migration.all.map(\.version))
            await store.close()

            let again = try await database.open()
            let second = try await rawRows(again, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            #expect(second.map(\.values) == first.map(\.values))
            // Data written before the reopen survives it.
            try await again.transaction { try $0.upsertSecret(Fixtures.secret()) }
            await again.close()
            let third = try await database.open()
            #expect(try await third.transaction { try $0.secret(named: "openai-api-key") } == Fixtures.secret())
            await third.close()
        }
    }

    @Test(arguments: TestBackend.all)
    func databaseMigratedByANewerRotorIsRefusedWithAnUpgradeHint(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let newer = Migration.latestVersion + 1
            let sqlStore = try #require(store as? SQLStore)
            _ = try await sqlStore.sqlTransaction {
                try $0.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                               [.int(Int64(newer)), .text("from the future"), .int(0)])
            }
            await store.close()

            let error = await #expect(throws: StoreError.self) { try await database.open() }
            #expect(error == .schemaTooNew(found: newer, supported: Migration.latestVersion))
            #expect(error?.code == .schemaTooNew)
            #expect(error?.description.contains("upgrade rotor") == true)
        }
    }

    @Test(arguments: TestBackend.all)
    func concurrentOpenersBothSucceedAndMigrateOnce(_ backend: TestBackend) async throws {
        try await TestLimiter.shared.run {
            let database = try await TestDatabase.create(backend)
            do {
                async let first = database.open(poolSize: 1)
                async let second = database.open(poolSize: 1)
                let stores = try await [first, second]
                let rows = try await rawRows(stores[0], "SELECT version FROM schema_migrations")
                #expect(rows.count == Migration.all.count)
                for store in stores { await store.close() }
            } catch {
                await database.drop()
                throw error
            }
            await database.drop()
        }
    }

    /// Version 2 stores reply codes only as a hash: codes stored in clear by version 1 are dropped, the
    /// tokens themselves (their link hashes) survive, and hashed codes are found.
    @Test(arguments: TestBackend.all)
    func version2DropsClearReplyCodesAndKeepsTheirTokens(_ backend: TestBackend) async throws {
        try await TestLimiter.shared.run {
            let database = try await TestDatabase.create(backend)
            do {
                let old = try await SQLStore.open(url: database.url, poolSize: 1, logger: TestDatabase.logger)
                _ = try await old.sqlTransaction { tx in
                    try Migrator.migrate(tx, migrations: [SchemaV1.migration], logger: TestDatabase.logger)
                    try tx.execute("""
                        INSERT INTO reply_tokens (id, token_hash, code, secret_name, action, created_at, expires_at)
                        VALUES ('tok-1', ?, 'SKIP4821', 'openai-api-key', 'skip', 0, 1000)
                        """, [.blob(Fixtures.keyHash(1))])
                }
                await old.close()

                let store = try await database.open()
                let rows = try await rawRows(store, "SELECT * FROM reply_tokens")
                #expect(rows.count == 1)
                #expect(try rows.first?.blob("token_hash") == Fixtures.keyHash(1))
                #expect(try rows.first?.optionalBlob("code_hash") == nil)
                #expect(rows.first.map { $0.values.contains { $0 == .text("SKIP4821") } } == false)
                #expect(rows.first?.columns.names.contains("code") == false)
                #expect(try await store.transaction { try $0.replyToken(hash: Fixtures.keyHash(1)) }?.id == "tok-1")
                let hashed = ReplyTokenRecord(id: "tok-2", tokenHash: Fixtures.keyHash(2), codeHash: Fixtures.keyHash(3),
                                              secretName: "openai-api-key", action: "skip", createdAt: t(0), expiresAt: t(1))
                try await store.transaction { try $0.insertReplyToken(hashed) }
                #expect(try await store.transaction { try $0.replyToken(codeHash: Fixtures.keyHash(3)) } == hashed)
                await store.close()
            } catch {
                await database.drop()
                throw error
            }
            await database.drop()
        }
    }

    @Test func everyMigrationIsNumberedInOrderFromOne() {
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
    }
}
