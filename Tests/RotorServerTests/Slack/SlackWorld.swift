import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorNotifiers
import RotorSandbox
import RotorServer
import RotorTestSupport
import Testing

/// A Rotor app configured with a `slack-app` channel (rotor.yml, secrets from the environment) on SQLite or PostgreSQL,
/// posting to the sandbox's Slack emulator over loopback HTTP, and its service answering the clicks.
struct SlackWorld {
    enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// The bot token and signing secret: canaries that must appear in no answer, log line, audit row or message.
    static let botToken = "xoxb-canary-BOT-token-5Hq2"
    static let signingSecret = ServerWorld.slackSigningSecret
    static let channel = ServerWorld.slackChannel
    static let day = ServerWorld.day

    let app: RotorApp
    let sandbox: Sandbox
    let service: RotorService
    let clock: TestClock
    let providers: MemoryProviders
    let playbook: Playbook
    let logs: CapturingLogHandler.Store
    let cleanup: @Sendable () async -> Void

    /// `configuredToken` is what rotor.yml's reference resolves to (the sandbox knows ``botToken``); `approvals` is the
    /// server's approval handler.
    static func make(_ backend: Backend, configuredToken: String = botToken, configuredChannel: String = channel,
                     approvals: ApprovalHandler = .unavailable) async throws -> SlackWorld {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-slack-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        var storeURL = "sqlite:\(home)/rotor.db"
        var database: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_slack")
            storeURL = try await PostgresTestServer.required().createDatabase(named: name)
            database = name
        }
        let sandbox = Sandbox(world: SandboxWorld(slack: .init(botToken: botToken, channels: [channel, "C0OTHER0001"])))
        let port = try await sandbox.start()
        let config = """
            server: { public_url: "https://rotor.example.com" }
            channels:
              security-slack:
                type: slack-app
                bot_token: env:SLACK_BOT_TOKEN
                signing_secret: env:SLACK_SIGNING_SECRET
                channel: \(configuredChannel)
                api_url: http://127.0.0.1:\(port)/slack/api
            """
        try config.write(toFile: "\(home)/rotor.yml", atomically: true, encoding: .utf8)
        let logs = CapturingLogHandler.Store()
        let logger = Logger(label: "rotor.slack.tests") { _ in CapturingLogHandler(store: logs) }
        let clock = TestClock(ServerWorld.start, sleepsAdvance: true)
        let providers = MemoryProviders()
        let app = try await RotorApp.open(RotorApp.Options(
            home: home, storeURL: storeURL, configPath: "\(home)/rotor.yml",
            environment: ["SLACK_BOT_TOKEN": configuredToken, "SLACK_SIGNING_SECRET": signingSecret],
            clock: clock, logger: logger, keyring: MasterKeyring(current: MasterKey.random()), providers: providers))
        let playbook = ServerWorld.playbook()
        _ = try await app.secrets.importCurrent(playbook, value: SecretValue(ServerWorld.importedValue), handle: "imported",
                                                actor: "tests", replace: false)
        var dependencies = try await app.serviceDependencies(playbooks: [playbook])
        dependencies.approvals = approvals
        let service = RotorService(dependencies: dependencies, limits: ServiceLimits())
        return SlackWorld(app: app, sandbox: sandbox, service: service, clock: clock, providers: providers, playbook: playbook,
                          logs: logs) { [database] in
            await app.close()
            await sandbox.stop()
            if let database { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: database) }
            try? FileManager.default.removeItem(atPath: home)
        }
    }

    /// Runs `body` against the real router (the updates after clicks go to the sandbox over HTTP), then cleans up.
    func test(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        do {
            try await Application(router: service.buildRouter()).test(.router) { client in try await body(client) }
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }

    /// Moves the clock into the warning window, runs the scheduler (which enqueues the warning) and delivers the outbox.
    func warn() async throws -> DeliveryReport {
        clock.set(ServerWorld.start.addingTimeInterval(24 * Self.day))
        let tokens = try await app.replyTokens()
        _ = await app.scheduler(playbooks: [playbook], runner: app.runner(), replyTokens: tokens).tick()
        return await app.outboxDelivery(replyTokens: tokens).deliverDue()
    }

    /// The form and headers of a click on `message`'s button `action`, signed now (or at `timestamp`) with `secret`.
    func click(_ action: String, value: String?, on message: SandboxSlackMessage, timestamp: Int? = nil,
               secret: String = signingSecret) -> (headers: HTTPFields, body: ByteBuffer) {
        let click = SlackRequests.Click(action: action, value: value, channel: message.channel, ts: message.ts, text: message.text)
        let form = SlackRequests.form(SlackRequests.payload(click))
        let headers = SlackRequests.headers(form, timestamp: timestamp ?? Int(clock.now.timeIntervalSince1970), secret: secret)
        return (headers, ByteBuffer(bytes: form))
    }

    func audit(_ action: String) async throws -> [AuditEvent] {
        try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }.filter { $0.action == action }
    }

    func allAudit() async throws -> [AuditEvent] {
        try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
    }

    func notifications() async throws -> [NotificationRecord] {
        let secret = playbook.secret
        return try await app.store.transaction { try $0.notifications(org: nil, secretName: secret, limit: 100) }
    }

    var secretRecord: SecretRecord {
        get async throws {
            let name = playbook.secret
            return try #require(try await app.store.transaction { try $0.secret(named: name) })
        }
    }

    /// The only message the sandbox holds.
    func postedMessage() async throws -> SandboxSlackMessage {
        let messages = await sandbox.slackMessages()
        #expect(messages.count == 1, "\(messages)")
        return try #require(messages.first)
    }
}
