import Foundation
import Logging
import RotorCore
import RotorStore
import RotorTestSupport
import Testing

/// The backends the report's store queries run against: a fresh SQLite file, or a fresh PostgreSQL database on the
/// server of ROTOR_TEST_POSTGRES_URL (required under CI=true).
enum ReportBackend: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// Runs `body` with a migrated store of its own and a second store on the same database whose rows are marked
    /// `simulated_now` (a `--now` rehearsal), then drops the database.
    func withStores(_ body: (_ store: any Store, _ rehearsal: any Store) async throws -> Void) async throws {
        var logger = Logger(label: "rotor.report.tests")
        logger.logLevel = .warning
        let url: String
        var cleanup: @Sendable () async -> Void
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-report-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            url = "sqlite:\(directory.path)/rotor.db"
            cleanup = { try? FileManager.default.removeItem(at: directory) }
        case .postgres:
            let server = try PostgresTestServer.required()
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_report")
            url = try await server.createDatabase(named: name)
            cleanup = { try? await server.dropDatabase(named: name) }
        }
        try await withCleanup({ await cleanup() }) {
            let store = try await openStore(url: url, logger: logger)
            let rehearsal = try await openStore(url: url, logger: logger, simulatedNow: true)
            try await withCleanup({
                await store.close()
                await rehearsal.close()
            }) {
                try await body(store, rehearsal)
            }
        }
    }
}
