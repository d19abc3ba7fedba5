/// Durable storage for Rotor's records, backed by SQLite or PostgreSQL.
///
/// All typed operations live on ``StoreTransaction`` and are synchronous: they run on the store's own database
/// thread inside one transaction, so the async surface stays this small and no blocking database call ever
/// runs on Swift's cooperative thread pool.
public protocol Store: Sendable {
    /// The backend's name: `"sqlite"` or `"postgres"`.
    var backend: String { get }

    /// The schema version this binary reads and writes; a database at another version is not ready for it.
    var supportedSchemaVersion: Int { get }

    /// Runs `body` in ONE transaction on a dedicated database thread; commits if it returns, rolls back if it throws.
    ///
    /// The error `body` throws is rethrown unchanged after the rollback. An operation that fails dooms the
    /// transaction even if `body` catches its error: the transaction then rolls back and throws that error.
    /// Keep `body` short and free of network calls: it holds a database connection (and, on SQLite, the write
    /// lock) while it runs.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T

    /// Closes every connection after the transactions already queued have finished.
    /// A transaction started after `close()` throws ``StoreError/connectionFailed(_:)``.
    func close() async
}
