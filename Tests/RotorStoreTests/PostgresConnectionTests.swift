import Foundation
import RotorCore
@testable import RotorStore
import RotorTestSupport
import Testing

/// Behaviour only the PostgreSQL backend has: a server that drops connections, and what the server sees of us.
@Suite("PostgreSQL connections")
struct PostgresConnectionTests {
    @Test func connectionsDroppedByTheServerAreReopenedOnTheNextTransaction() async throws {
        try await withStore(.postgres) { store, database in
            try await store.transaction { try $0.upsertSecret(Fixtures.secret()) }
            let server = try PostgresTestServer.required()
            let name = try #require(database.databaseName)
            let terminated = try await server.admin { admin in
                try admin.execute(
                    "SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()",
                    [.text(name)]
                ).rows.count
            }
            #expect(terminated == 4)
            // Every pooled connection is dead; each transaction must reconnect and then succeed.
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await store.transaction { try $0.allSecrets().count } }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 1, count: 8))
        }
    }

    @Test func connectionsNameThemselvesRotorUnlessTheURLSaysOtherwise() async throws {
        try await withStore(.postgres) { store, database in
            let name = try await rawRows(store, "SELECT current_setting('application_name') AS name").first?.text("name")
            #expect(name == "rotor")
            guard case .postgres(let uri) = database.url else { return }
            let custom = try await openStore(url: .postgres(uri: uri + "?application_name=rotor-worker-2"), logger: TestDatabase.logger)
            let customName = try await rawRows(custom, "SELECT current_setting('application_name') AS name").first?.text("name")
            await custom.close()
            #expect(customName == "rotor-worker-2")
        }
    }
}
