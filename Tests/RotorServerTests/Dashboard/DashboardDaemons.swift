import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorServer
@testable import RotorStore
import RotorTestSupport
import Testing

/// Several daemons serving the dashboard from ONE store (an SQLite file or a PostgreSQL database), as behind a load
/// balancer or across a restart: each ``open()`` is a new process's `RotorApp` and `RotorService` on that store,
/// with the same master key, rotor.yml (the people of ``DashboardWorld``) and clock. Every daemon logs into ``logs``.
final class DashboardDaemons: Sendable {
    let home: String
    let storeURL: String
    let database: String?
    let keyring: MasterKeyring
    let clock: TestClock
    let logs = CapturingLogHandler.Store()

    private init(home: String, storeURL: String, database: String?, keyring: MasterKeyring, clock: TestClock) {
        self.home = home
        self.storeURL = storeURL
        self.database = database
        self.keyring = keyring
        self.clock = clock
    }

    static func make(_ backend: DashboardWorld.Backend) async throws -> DashboardDaemons {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-daemons-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var storeURL = "sqlite:\(home)/rotor.db"
        var database: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_daemons")
            storeURL = try await PostgresTestServer.required().createDatabase(named: name)
            database = name
        }
        try DashboardWorld.people.write(toFile: "\(home)/rotor.yml", atomically: true, encoding: .utf8)
        return DashboardDaemons(home: home, storeURL: storeURL, database: database,
                                keyring: MasterKeyring(current: MasterKey.random()),
                                clock: TestClock(ServerWorld.start, sleepsAdvance: true))
    }

    /// A new daemon on the store.
    func open() async throws -> Daemon {
        let environment = ["ROTOR_ADMIN_TOKEN": DashboardWorld.adminToken, "ROTOR_TOKEN_ALICE": DashboardWorld.operatorToken,
                           "ROTOR_TOKEN_BOB": DashboardWorld.viewerToken, "ROTOR_PUBLIC_URL": "https://rotor.example.com"]
        let app = try await RotorApp.open(RotorApp.Options(
            home: home, storeURL: storeURL, configPath: "\(home)/rotor.yml", environment: environment, clock: clock,
            logger: CapturingLogHandler.logger("rotor.daemon", into: logs), keyring: keyring,
            providers: MemoryProviders()))
        let dependencies = try await app.serviceDependencies(playbooks: [ServerWorld.playbook()])
        return Daemon(app: app, service: RotorService(dependencies: dependencies))
    }

    /// Runs raw SQL on the store, past Rotor's typed operations: what someone with access to the database alone can do.
    func sql(_ statement: String, _ parameters: [SQLValue] = []) async throws -> [SQLRow] {
        let store = try #require(try await openStore(url: storeURL, logger: Logger(label: "rotor.raw")) as? SQLStore)
        do {
            let rows = try await store.sqlTransaction { try $0.rows(statement, parameters) }
            await store.close()
            return rows
        } catch {
            await store.close()
            throw error
        }
    }

    func cleanup() async {
        if let database { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: database) }
        try? FileManager.default.removeItem(atPath: home)
    }

    /// One daemon: serve its router with ``test(_:)``, stop it with `app.close()`.
    struct Daemon: Sendable {
        let app: RotorApp
        let service: RotorService

        func test(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
            try await Application(router: service.buildRouter()).test(.router) { try await body($0) }
        }
    }
}
