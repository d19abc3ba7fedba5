import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorSandbox
import RotorServer
import RotorTestSupport
import Testing

/// The dashboard over real targets: a dotenv file in a temporary folder and the sandbox's Vercel and Render
/// emulators (one Vercel variable `sensitive`), read through the real providers, on a store of its own. The imported
/// value is a canary; so are the vendor tokens.
struct ReadBackWorld {
    static let secret = "readback-key"
    static let canary = "sk-canary-readback-IMPORTED-v8Qe"
    static let vercelToken = "sandbox-vercel-token"
    static let renderToken = "sandbox-render-token"

    let app: RotorApp
    let service: RotorService
    let clock: TestClock
    let playbook: Playbook
    let sandbox: Sandbox
    /// The targets' labels, in the playbook's order: the file, Vercel, Vercel `sensitive`, Render.
    var labels: [String] { playbook.targets.map(\.label) }
    /// The dotenv file the `file` target writes.
    let envFile: String
    let cleanup: @Sendable () async -> Void

    static func make(_ backend: DashboardWorld.Backend) async throws -> ReadBackWorld {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-readback-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: "\(home)/Playbooks", withIntermediateDirectories: true)
        var storeURL = "sqlite:\(home)/rotor.db"
        var database: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_readback")
            storeURL = try await PostgresTestServer.required().createDatabase(named: name)
            database = name
        }
        let sandbox = Sandbox(deployDuration: .milliseconds(50))
        let base = "http://127.0.0.1:\(try await sandbox.start(host: "127.0.0.1", port: 0))"
        try """
        users:
          - { name: alice, role: operator, token: env:ROTOR_TOKEN_ALICE }
          - { name: bob, role: viewer, token: env:ROTOR_TOKEN_BOB }
        """.write(toFile: "\(home)/rotor.yml", atomically: true, encoding: .utf8)
        try """
        secret: \(secret)
        owner: platform-team
        schedule: { every: 30d }
        source: { provider: random }
        targets:
          - { provider: file, path: "\(home)/app.env", key: READBACK_KEY }
          - { provider: vercel, project: web-app, key: READBACK_KEY, environments: [production], redeploy: false, api: "\(base)/vercel" }
          - { provider: vercel, project: docs-site, key: READBACK_SEALED, environments: [production], type: sensitive, redeploy: false,
              api: "\(base)/vercel" }
          - { provider: render, service: srv-api, key: READBACK_KEY, deploy: false, api: "\(base)/render/v1" }
        checks: []
        notify: []
        """.write(toFile: "\(home)/Playbooks/\(secret).yml", atomically: true, encoding: .utf8)
        let environment = ["ROTOR_TOKEN_ALICE": DashboardWorld.operatorToken, "ROTOR_TOKEN_BOB": DashboardWorld.viewerToken,
                           "ROTOR_PUBLIC_URL": "https://rotor.example.com", "VERCEL_TOKEN": vercelToken, "RENDER_API_KEY": renderToken]
        var logger = Logger(label: "rotor.readback.tests")
        logger.logLevel = .error
        let clock = TestClock(ServerWorld.start, sleepsAdvance: true)
        let app = try await RotorApp.open(RotorApp.Options(
            home: home, storeURL: storeURL, playbooks: "\(home)/Playbooks", configPath: "\(home)/rotor.yml", environment: environment,
            clock: clock, logger: logger, keyring: MasterKeyring(current: MasterKey.random())))
        let loaded = app.loadPlaybooks()
        let playbook = try #require(loaded.playbooks.first, "\(loaded)")
        _ = try await app.secrets.importCurrent(playbook, value: SecretValue(canary), handle: "imported", actor: "tests", replace: false)
        let dependencies = try await app.serviceDependencies(playbooks: [playbook])
        return ReadBackWorld(app: app, service: RotorService(dependencies: dependencies), clock: clock, playbook: playbook,
                             sandbox: sandbox, envFile: "\(home)/app.env") { [database] in
            await sandbox.stop()
            await app.close()
            if let database { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: database) }
            try? FileManager.default.removeItem(atPath: home)
        }
    }

    /// Runs `body` against the real router without a socket, then cleans up whatever happened.
    func test(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        try await withCleanup(cleanup) {
            try await Application(router: service.buildRouter()).test(.router) { try await body($0) }
        }
    }

    /// Rotates the secret with the real providers; returns the new value, as the file target wrote it.
    func rotate() async throws -> String {
        let outcome = try await app.runner().rotate(playbook, .init(trigger: .manual, actor: "tests"))
        try #require(outcome.succeeded, "\(outcome.rotation.state) \(outcome.rotation.error ?? "")")
        return try #require(try dotenvValue())
    }

    func dotenvValue() throws -> String? {
        try String(contentsOfFile: envFile, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("READBACK_KEY=") }.map { String($0.dropFirst("READBACK_KEY=".count)) }
    }

    /// Sets the file target's variable as someone editing the file by hand would.
    func editFile(_ value: String) throws {
        try "READBACK_KEY=\(value)\n".write(toFile: envFile, atomically: true, encoding: .utf8)
    }

    func reading() async throws -> TargetReport? {
        try await app.store.transaction { try TargetReport.load(secret: Self.secret, from: $0) }
    }

    func audit(_ action: String) async throws -> [AuditEvent] {
        try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }.filter { $0.action == action }
    }

    /// Every audit row, as text, for the canary checks.
    func auditText() async throws -> String {
        try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            .map { "\($0)" }.joined(separator: "\n")
    }
}
