import Logging
import RotorCore
import RotorCrypto

/// Opens the store at `url` (`sqlite:PATH`, `postgres://…` or `postgresql://…`), applies any missing schema
/// migrations, and returns it ready for use.
///
/// Throws ``StoreError`` when the URL is invalid, the database cannot be reached, a migration fails, or the
/// database was migrated by a newer rotor (``StoreError/schemaTooNew(found:supported:)``).
///
/// - Parameter simulatedNow: the process runs under a time-travelling clock (`--now`): every audit row it writes
///   is marked `"simulated_now": true` in its detail.
///
/// - Parameter sealer: the master keyring, which opens (or creates) the audit chain key so that every audit row gets
///   a MAC (see ``AuditChain``). Without it rows are chained without MACs.
public func openStore(url: String, logger: Logger, simulatedNow: Bool = false, sealer: Sealer? = nil) async throws -> any Store {
    try await openStore(url: StoreURL(parsing: url), logger: logger, simulatedNow: simulatedNow, sealer: sealer)
}

/// Opens the store at `url`, applies any missing schema migrations, and returns it.
///
/// - Parameter postgresPoolSize: how many PostgreSQL connections (each with its own thread) transactions share.
///   SQLite always uses one connection: it allows one writer at a time anyway.
public func openStore(url: StoreURL, logger: Logger, postgresPoolSize: Int = 4, simulatedNow: Bool = false,
                      sealer: Sealer? = nil) async throws -> any Store {
    let store = try await SQLStore.open(url: url, poolSize: postgresPoolSize, logger: logger, simulatedNow: simulatedNow)
    do {
        // One transaction: on PostgreSQL the migrator's lock also keeps two openers from making two chain keys.
        let key = try await store.sqlTransaction { tx -> HMACSHA256Key? in
            let applied = try Migrator.migrate(tx, logger: logger)
            let chainedNow = applied.contains(AuditChainMigration.migration.version)
            return try sealer.flatMap { try tx.loadAuditChainKey(sealer: $0, logger: logger, chainedNow: chainedNow) }
        }
        store.auditChainKey.withLock { $0 = key }
    } catch {
        await store.close()
        throw error
    }
    return store
}
