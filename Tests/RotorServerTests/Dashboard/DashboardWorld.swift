import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorServer
import RotorTestSupport
import Testing

/// The dashboard's world: a store of its own (SQLite file or PostgreSQL database), rotor.yml with an operator and
/// a viewer whose tokens come from the environment, one imported secret whose value is a canary, and the service
/// `rotor serve` builds, with in-memory providers.
struct DashboardWorld {
    enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    static let adminToken = "admin-token-for-dashboard-tests"
    static let operatorToken = "tok-alice-operator-Q2x9w"
    static let viewerToken = "tok-bob-viewer-P4m1z"
    static let canary = ServerWorld.importedValue

    let app: RotorApp
    let service: RotorService
    let clock: TestClock
    let playbook: Playbook
    let providers: MemoryProviders
    let cleanup: @Sendable () async -> Void

    /// rotor.yml's people: alice the operator and bob the viewer, their tokens from the environment.
    static let people = """
        users:
          - { name: alice, role: operator, token: env:ROTOR_TOKEN_ALICE }
          - { name: bob, role: viewer, token: env:ROTOR_TOKEN_BOB }
        """

    static func make(_ backend: Backend, publicURL: String? = "https://rotor.example.com",
                     limits: ServiceLimits = ServiceLimits(), extraPlaybooks: [Playbook] = [],
                     invalid: [String: [String]] = [:]) async throws -> DashboardWorld {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-dashboard-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var storeURL = "sqlite:\(home)/rotor.db"
        var database: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_dashboard")
            storeURL = try await PostgresTestServer.required().createDatabase(named: name)
            database = name
        }
        try DashboardWorld.people.write(toFile: "\(home)/rotor.yml", atomically: true, encoding: .utf8)
        var environment = ["ROTOR_ADMIN_TOKEN": adminToken, "ROTOR_TOKEN_ALICE": operatorToken, "ROTOR_TOKEN_BOB": viewerToken]
        environment["ROTOR_PUBLIC_URL"] = publicURL
        var logger = Logger(label: "rotor.dashboard.tests")
        logger.logLevel = .error
        let clock = TestClock(ServerWorld.start, sleepsAdvance: true)
        let providers = MemoryProviders()
        let app = try await RotorApp.open(RotorApp.Options(
            home: home, storeURL: storeURL, configPath: "\(home)/rotor.yml", environment: environment, clock: clock, logger: logger,
            keyring: MasterKeyring(current: MasterKey.random()), providers: providers))
        let playbook = ServerWorld.playbook()
        _ = try await app.secrets.importCurrent(playbook, value: SecretValue(canary), handle: "imported", actor: "tests", replace: false)
        var dependencies = try await app.serviceDependencies(playbooks: [playbook] + extraPlaybooks)
        dependencies.invalidPlaybooks = invalid
        return DashboardWorld(app: app, service: RotorService(dependencies: dependencies, limits: limits), clock: clock,
                              playbook: playbook, providers: providers) { [database] in
            await app.close()
            if let database { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: database) }
            try? FileManager.default.removeItem(atPath: home)
        }
    }

    /// Runs `body` against the real router without a socket; the store stays open for the test's checks (the test
    /// ends with ``cleanup``).
    func test(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await Application(router: service.buildRouter()).test(.router) { try await body($0) }
        } catch {
            await cleanup()
            throw error
        }
    }

    func audit(_ action: String) async throws -> [AuditEvent] {
        try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }.filter { $0.action == action }
    }
}
