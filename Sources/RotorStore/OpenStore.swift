import Logging
import RotorCore

/// Opens the store at `url` (`sqlite:PATH`, `postgres://…` or `postgresql://…`), applies any missing schema
/// migrations, and returns it ready for use.
///
/// Throws ``StoreError`` when the URL is invalid, the database cannot be reached, a migration fails, or the
/// database was migrated by a newer rotor (``StoreError/schemaTooNew(found:supported:)``).
///
/// - Parameter simulatedNow: the process runs under a time-travelling clock (`--now`): every audit row it writes
///   is marked `"simulated_now": true` in its detail.
public func openStore(url: String, logger: Logger, simulatedNow: Bool = false) async throws -> any Store {
    try await openStore(url: StoreURL(parsing: url), logger: logger, simulatedNow: simulatedNow)
}

/// Opens the store at `url`, applies any missing schema migrations, and returns it.
///
/// - Parameter postgresPoolSize: how many PostgreSQL connections (each with its own thread) transactions share.
///   SQLite always uses one connection: it allows one writer at a time anyway.
public func openStore(url: StoreURL, logger: Logger, postgresPoolSize: Int = 4, simulatedNow: Bool = false) async throws -> any Store {
    let store = try await SQLStore.open(url: url, poolSize: postgresPoolSize, logger: logger, simulatedNow: simulatedNow)
    do {
        _ = try await store.sqlTransaction { try Migrator.migrate($0, logger: logger) }
    } catch {
        await store.close()
        throw error
    }
    return store
}
