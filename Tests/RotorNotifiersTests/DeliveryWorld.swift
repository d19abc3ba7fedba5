import Foundation
import Logging
import RotorCore
import RotorCrypto
import RotorHTTP
import RotorNotifiers
import RotorStore
import RotorTestSupport

/// The parts a delivery test runs against: a real SQLite store in a temporary directory, a clock the
/// test moves, `rotor.yml` text, credentials from a test environment, and loggers that keep every line.
final class DeliveryWorld: Sendable {
    let directory: TemporaryDirectory
    let store: any Store
    let clock = TestClock()
    let logs: CapturingLogHandler.Store
    let logger: Logger
    let client: HTTPClient
    let config: RotorConfig
    let environment: [String: String]
    /// The reply-token key the scheduler seals warnings' links and codes with, and delivery opens them with.
    let replyTokens = ReplyTokens(key: SecureRandom.bytes(32))

    /// A world whose `rotor.yml` is `configuration` and whose environment holds `environment`.
    init(configuration: String, environment: [String: String] = [:]) async throws {
        directory = try TemporaryDirectory()
        (logger, logs) = CapturingLogHandler.logger()
        client = HTTPClient(logger: logger)
        config = try RotorConfig.parse(file: "rotor.yml", text: configuration)
        self.environment = environment
        store = try await openStore(url: "sqlite:\(directory.file("rotor.db"))", logger: logger)
    }

    func close() async {
        await store.close()
        client.shutdown()
    }

    /// A deliverer with its own lease owner.
    func delivery(owner: String, policy: DeliveryPolicy = .init()) -> OutboxDelivery {
        OutboxDelivery(store: store, config: config,
                       credentials: CredentialResolver(environment: environment, store: nil, sealer: nil),
                       client: client, replyTokens: replyTokens, clock: clock, owner: owner, logger: logger, policy: policy)
    }

    /// Enqueues a warning about `secret` for each of `channels`, as the scheduler does; returns the rows.
    @discardableResult
    func enqueueWarning(secret: String = "openai-api-key", channels: [String], urgent: Bool = false, org: String? = nil)
        async throws -> [NotificationRecord] {
        var rows = Notices.make(kind: "warning", secret: secret, channels: channels, urgent: urgent,
                                subject: "\(secret) rotates in 7 days",
                                body: "\(secret) will be rotated automatically. Current key: sk-…x7K2. Nothing needs doing.",
                                dedupe: "warning:\(secret):1", at: clock.now)
        for index in rows.indices { rows[index].org = org }
        let enqueued = rows
        try await store.transaction { transaction in
            for row in enqueued { try transaction.enqueueNotification(row) }
        }
        return rows
    }

    /// Every row of the outbox, newest first.
    func rows() async throws -> [NotificationRecord] {
        try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 10_000) }
    }

    /// The row with `id`.
    func row(_ id: String) async throws -> NotificationRecord? {
        try await rows().first { $0.id == id }
    }
}
