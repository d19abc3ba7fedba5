import Foundation
import Logging
import RotorCore
@testable import RotorStore
import RotorTestSupport
import Testing

/// A database of its own for one test: a fresh SQLite file in a temp directory, or a fresh PostgreSQL database
/// (`CREATE DATABASE rotor_test_<random>`) on the server named by ROTOR_TEST_POSTGRES_URL. Dropped afterwards.
struct TestDatabase: Sendable {
    let backend: TestBackend
    let url: StoreURL
    /// SQLite: the directory holding the database file; PostgreSQL: nil.
    let directory: URL?
    /// PostgreSQL: the database name; SQLite: nil.
    let databaseName: String?

    /// SQLite: the database file.
    var sqlitePath: String? {
        if case .sqlite(let path) = url { return path }
        return nil
    }

    /// Opens a store on this database (each call opens another store, as a second daemon would).
    func open(poolSize: Int = 4) async throws -> any Store {
        try await openStore(url: url, logger: Self.logger, postgresPoolSize: poolSize)
    }

    /// Warnings and errors only: migrations log at info on every fresh database.
    static let logger: Logger = {
        var logger = Logger(label: "rotor.store.tests")
        logger.logLevel = .warning
        return logger
    }()

    /// Creates the database. Without a PostgreSQL server the PostgreSQL case fails under CI=true, and elsewhere
    /// records a warning saying it was skipped and why, then cancels itself.
    static func create(_ backend: TestBackend) async throws -> TestDatabase {
        switch backend {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-store-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let path = directory.appendingPathComponent("rotor.db").path
            return TestDatabase(backend: .sqlite, url: .sqlite(path: path), directory: directory, databaseName: nil)
        case .postgres:
            let server = try PostgresTestServer.required()
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_test")
            let url = StoreURL.postgres(uri: try await server.createDatabase(named: name))
            return TestDatabase(backend: .postgres, url: url, directory: nil, databaseName: name)
        }
    }

    /// Removes the database.
    func drop() async {
        if let directory {
            try? FileManager.default.removeItem(at: directory)
        }
        if let databaseName, let server = PostgresTestServer.fromEnvironment() {
            do {
                try await server.dropDatabase(named: databaseName)
            } catch {
                Issue.record("could not drop test database \(databaseName): \(error)")
            }
        }
    }
}

/// Runs `body` with a freshly migrated store on a database of its own, then closes the store and drops the database.
func withStore(
    _ backend: TestBackend,
    poolSize: Int = 4,
    _ body: (any Store, TestDatabase) async throws -> Void
) async throws {
    try await TestLimiter.shared.run {
        let database = try await TestDatabase.create(backend)
        do {
            let store = try await database.open(poolSize: poolSize)
            do {
                try await body(store, database)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        } catch {
            await database.drop()
            throw error
        }
        await database.drop()
    }
}

/// Raw SQL for the few tests that must look under the typed API (schema_migrations rows, query plans).
func rawRows(_ store: any Store, _ sql: String, _ parameters: [SQLValue] = []) async throws -> [SQLRow] {
    let store = try #require(store as? SQLStore)
    return try await store.sqlTransaction { try $0.rows(sql, parameters) }
}
