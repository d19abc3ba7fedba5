import Foundation
import Logging
import RotorCore

/// Brings a database's schema up to ``Migration/latestVersion``, inside the transaction it is given.
enum Migrator {
    /// Arbitrary constant key of the PostgreSQL advisory lock that serialises concurrent openers ("rotor").
    static let advisoryLockKey: Int64 = 0x726F_746F_72

    /// The `schema_migrations` table, created by the migrator itself (it must exist before migration 1).
    static let bookkeepingTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version     INTEGER PRIMARY KEY,
            name        TEXT NOT NULL,
            applied_at  BIGINT NOT NULL
        )
        """

    /// Applies every missing migration and returns the versions applied (empty when the schema was current).
    /// Throws ``StoreError/schemaTooNew(found:supported:)`` for a database migrated by a newer rotor.
    static func migrate(
        _ transaction: SQLTransaction,
        migrations: [Migration] = Migration.all,
        now: Date = Date(),
        logger: Logger
    ) throws -> [Int] {
        if transaction.dialect == .postgres {
            // Two daemons starting at once: the second waits here, then finds the schema already current.
            try transaction.execute("SELECT pg_advisory_xact_lock(?)", [.int(advisoryLockKey)])
        }
        try transaction.executeScript(bookkeepingTable)
        let applied = Set(try transaction.execute("SELECT version FROM schema_migrations").rows.map { try $0.int("version") })
        let supported = migrations.last?.version ?? 0
        if let found = applied.max(), found > supported {
            throw StoreError.schemaTooNew(found: found, supported: supported)
        }
        var done: [Int] = []
        for migration in migrations where !applied.contains(migration.version) {
            do {
                try transaction.executeScript(migration.sql(transaction.dialect))
                try migration.after?(transaction)
                try transaction.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(Int64(migration.version)), .text(migration.name), SQLValue(now)]
                )
            } catch {
                throw StoreError.migrationFailed(version: migration.version, message: "\(error)")
            }
            logger.info("applied schema migration", metadata: [
                "version": "\(migration.version)", "name": "\(migration.name)", "backend": "\(transaction.dialect.rawValue)",
            ])
            done.append(migration.version)
        }
        return done
    }
}
