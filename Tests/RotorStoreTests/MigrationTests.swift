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

    @Test func everyMigrationIsNumberedInOrderFromOne() {
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count))
    }
}
