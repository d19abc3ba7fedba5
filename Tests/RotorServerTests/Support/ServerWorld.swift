import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorNotifiers
import RotorServer
import RotorStore
import RotorTestSupport
import Testing

/// A real SQLite store, real services and the real router, around one managed secret.
struct ServerWorld {
    static let secret = "openai-api-key"
    static let day: TimeInterval = 86_400
    /// The imported value: a canary that must never appear in an answer.
    static let importedValue = "sk-canary-imported-VALUE-q7Zt"
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    /// The signing secret of the `slack-app` channel `security-slack` (a canary too), and the Slack channel it posts to.
    static let slackSigningSecret = "slack-signing-canary-SECRET-w4Rm"
    static let slackChannel = "C0SANDBOX01"

    let path: String
    let store: any Store
    let sealer: Sealer
    let clock: TestClock
    let providers: MemoryProviders
    let replyTokens: ReplyTokens
    let keyTable: KeyTable
    let playbook: Playbook
    let service: RotorService
    /// The service's runner, to put the secret in a state before a request.
    let runner: RotationRunner
    let replySecret: [UInt8]
    let logger: Logger
    /// The PostgreSQL database of a world on `.postgres`, dropped by ``close()``.
    var databaseName: String? = nil

    static func playbook(maxAge: TimeInterval = 90 * day, maxSkips: Int = 2, skipFor: TimeInterval = 30 * day) -> Playbook {
        func config(_ kind: ProviderKind) -> ProviderConfig {
            ProviderConfig(provider: "memory", kind: kind, index: 0, label: "memory \(kind.rawValue)", fields: [:],
                           location: PlaybookLocation(file: "openai-api-key.yml", line: 1, column: 1))
        }
        return Playbook(file: "openai-api-key.yml", secret: secret, owner: "platform-team",
                        schedule: ScheduleSpec(rule: .every(.seconds(30 * 86_400))),
                        policy: RotationPolicy(maxAge: .seconds(Int64(maxAge)), maxSkips: maxSkips, skipFor: .seconds(Int64(skipFor))),
                        source: config(.source), targets: [config(.target)], checks: [config(.check)],
                        notify: ["security-slack"])
    }

    /// Opens a fresh store, imports the secret, and builds the service as `rotor serve` does, with in-memory
    /// providers; the admin token and reply secret reach it through the environment, as they do in production,
    /// and the service gets the standard limits, not the environment's, unless `limits` says otherwise.
    static func make(playbook: Playbook = ServerWorld.playbook(), adminToken: String? = "admin-token-for-tests",
                     replySecret: [UInt8]? = Array("bridge-signing-secret".utf8), limits: ServiceLimits = ServiceLimits(),
                     logger: Logger = Logger(label: "rotor.server.tests"), imported: Bool = true,
                     backend: StoreBackend = .sqlite, slack: Bool = true) async throws -> ServerWorld {
        let path = "/tmp/rotor-server-tests-\(UUID().uuidString).db"
        var storeURL = "sqlite:\(path)", databaseName: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_server")
            storeURL = try await PostgresTestServer.required().createDatabase(named: name)
            databaseName = name
        }
        let clock = TestClock(start, sleepsAdvance: true)
        let providers = MemoryProviders()
        var environment = ["ROTOR_PUBLIC_URL": "https://rotor.example.com"]
        environment["ROTOR_ADMIN_TOKEN"] = adminToken
        environment["ROTOR_REPLY_SECRET"] = replySecret.map { String(decoding: $0, as: UTF8.self) }
        let app = try await RotorApp.open(RotorApp.Options(
            home: FileManager.default.temporaryDirectory.path, storeURL: storeURL, environment: environment, clock: clock,
            logger: logger, keyring: MasterKeyring(current: MasterKey.random()), providers: providers))
        if imported {
            _ = try await app.secrets
                .importCurrent(playbook, value: SecretValue(importedValue), handle: "imported", actor: "tests", replace: false)
        }
        var dependencies = try await app.serviceDependencies(playbooks: [playbook])
        if slack { dependencies.slackApps = [SlackRequests.unreachableApp(logger: logger)] }
        return ServerWorld(path: path, store: app.store, sealer: app.sealer, clock: clock, providers: providers,
                           replyTokens: dependencies.replyTokens, keyTable: dependencies.keyTable, playbook: playbook,
                           service: RotorService(dependencies: dependencies, limits: limits), runner: dependencies.runner,
                           replySecret: replySecret ?? [], logger: logger, databaseName: databaseName)
    }

    func close() async {
        await store.close()
        if let databaseName { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: databaseName) }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Runs `body` against the service over real HTTP on a loopback port, then closes the store.
    func live(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await service.application(host: "127.0.0.1", port: 0).test(.live) { client in try await body(client) }
        } catch {
            await close()
            throw error
        }
        await close()
    }

    /// Runs `body` against the real router without a socket, then closes the store.
    func test(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: service.buildRouter())
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await close()
            throw error
        }
        await close()
    }

    // MARK: Seeding

    /// Issues a token the way the scheduler does, in a store transaction.
    func issue(action: String = "skip", code: String? = nil, expiresIn: TimeInterval = 7 * day) async throws -> String {
        let tokens = replyTokens
        let now = clock.now
        let secret = playbook.secret
        return try await store.transaction { tx in
            try tokens.issue(tx, secret: secret, action: action, code: code, expires: now.addingTimeInterval(expiresIn), at: now)
        }
    }

    // MARK: Reading the store

    var secretRecord: SecretRecord {
        get async throws {
            let name = playbook.secret
            return try #require(try await store.transaction { try $0.secret(named: name) })
        }
    }

    func tokenRecord(_ token: String) async throws -> ReplyTokenRecord {
        let hash = replyTokens.hash(token)
        return try #require(try await store.transaction { try $0.replyToken(hash: hash) })
    }

    func audit(_ action: String) async throws -> [AuditEvent] {
        try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            .filter { $0.action == action }
    }

    /// Writes the aggregated audit rows of refused requests (``RotorService/flushRefusalAudit()``).
    func flushRefusals() async throws {
        try await service.flushRefusalAudit()
    }

    var auditCount: Int {
        get async throws { try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }.count }
    }

    // MARK: Requests

    /// Headers of a text reply signed with the bridge secret at `timestamp` (default: now).
    func signedHeaders(_ body: String, timestamp: Int? = nil, secret: [UInt8]? = nil) -> HTTPFields {
        let ts = timestamp ?? Int(clock.now.timeIntervalSince1970)
        let signature = WebhookSignature.sign(secret: secret ?? replySecret, timestamp: ts, body: Array(body.utf8))
        return [
            HTTPFields.Element.Name(WebhookSignature.timestampHeader)!: String(ts),
            HTTPFields.Element.Name(WebhookSignature.signatureHeader)!: signature,
            .contentType: "application/json",
        ]
    }

    static func decode(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

extension Date {
    var iso: String { ISO8601.string(self) }
}
