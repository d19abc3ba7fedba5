import Foundation
import Logging
import RotorCore
import RotorCrypto
import Synchronization

/// The ``Store`` for both backends: a pool of connection threads (one for SQLite, a few for PostgreSQL) and
/// the shared ``SQLTransaction``.
final class SQLStore: Store {
    let backend: String
    var supportedSchemaVersion: Int { Migration.latestVersion }
    let url: StoreURL
    /// Whether audit rows are marked as written under a time-travelling clock (see ``openStore(url:logger:simulatedNow:)``).
    let simulatedNow: Bool
    /// The audit chain key, set once by ``openStore(url:logger:postgresPoolSize:simulatedNow:sealer:)`` when it was given the
    /// master key; nil otherwise (rows are then chained without MACs).
    let auditChainKey = Mutex<HMACSHA256Key?>(nil)
    private let pool: ConnectionPool<any SQLConnection>
    private let threads: [ConnectionThread<any SQLConnection>]

    private init(url: StoreURL, threads: [ConnectionThread<any SQLConnection>], simulatedNow: Bool) {
        self.url = url
        self.simulatedNow = simulatedNow
        self.backend = url.backend
        self.threads = threads
        self.pool = ConnectionPool(threads: threads)
    }

    /// A store dropped without ``close()`` still releases its threads and connections (asynchronously).
    deinit {
        for thread in threads { thread.requestStop() }
    }

    /// Opens `poolSize` connections to `url` (always one for SQLite: it has a single writer), each on its own thread.
    static func open(url: StoreURL, poolSize: Int, logger: Logger, simulatedNow: Bool = false) async throws -> SQLStore {
        let open: @Sendable () throws -> any SQLConnection
        let size: Int
        let threadName: String
        switch url {
        case .sqlite(let path):
            open = { try SQLiteConnection(path: path) }
            size = 1
            threadName = "rotor-sqlite"
        case .postgres:
            open = { try PostgresConnection(url: url) }
            size = max(1, poolSize)
            threadName = "rotor-pg"
        }
        let opened = await withTaskGroup(of: Result<ConnectionThread<any SQLConnection>, any Error>.self) { group in
            for index in 0..<size {
                group.addTask {
                    do {
                        return .success(try await ConnectionThread.start(
                            name: "\(threadName)-\(index)", open: open, close: { $0.close() }))
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var results: [Result<ConnectionThread<any SQLConnection>, any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let threads = opened.compactMap { try? $0.get() }
        for case .failure(let error) in opened {
            for thread in threads { await thread.stop() }
            throw error
        }
        if case .sqlite(let path) = url, let mode = try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber,
           mode.intValue & 0o077 != 0 {
            // Rotor creates the file 0600; one made by hand may let other users read the sealed values.
            logger.warning("the SQLite database is readable or writable by other users; run chmod 600 on it", metadata: [
                "path": "\(path)", "mode": "\(String(mode.intValue & 0o777, radix: 8))",
            ])
        }
        logger.debug("opened store", metadata: ["url": "\(url)", "connections": "\(threads.count)"])
        return SQLStore(url: url, threads: threads, simulatedNow: simulatedNow)
    }

    func transaction<T: Sendable>(_ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        try await sqlTransaction { try body($0) }
    }

    /// A transaction with the concrete ``SQLTransaction``, for the migrator and for tests that need raw SQL.
    func sqlTransaction<T: Sendable>(_ body: @escaping @Sendable (SQLTransaction) throws -> T) async throws -> T {
        // The caller's work counter (a test measuring how many statements a pass costs) follows it to the
        // database thread.
        let simulatedNow = simulatedNow
        let key = auditChainKey.withLock { $0 }
        let counter = WorkCounter.current
        return try await pool.withConnection { connection in
            try WorkCounter.$current.withValue(counter) {
                WorkCounter.add(.storeTransactions)
                return try SQLTransaction.run(on: connection, simulatedNow: simulatedNow, auditChainKey: key, body)
            }
        }
    }

    func close() async {
        await pool.close()
    }
}
