import Foundation
import Logging
import RotorCore
import RotorHTTP

/// Delivers the notification outbox: claims the rows that are due, sends each through its channel
/// (from `rotor.yml`), and records the outcome with a retry time or gives up.
///
/// ## At least once, with a stable id
///
/// A row is marked sent only after the receiver has accepted it. A crash (or a lost database
/// connection) between the two leaves the row claimed; once its lease expires another pass sends it
/// again. So delivery is at least once, never at most once: a message is never lost, and a rare
/// duplicate carries the same id as the first copy (`X-Rotor-Delivery` and the JSON `id` on webhooks,
/// the same `Message-ID` on e-mail), so a receiver that keeps the ids it has seen can drop it.
///
/// Exactly once is not possible over SMTP or HTTP: the receiver's acceptance (an SMTP 250, an HTTP
/// 2xx) and the outbox's record of it cannot be committed together, and when the connection breaks
/// after the receiver acted but before its answer arrived, the sender cannot tell "accepted" from
/// "never arrived". It must either risk losing the message or risk sending it twice; Rotor sends twice.
///
/// ## Reply links and codes stay sealed until they leave
///
/// A warning's links and text-reply code are kept in the outbox as sealed placeholders
/// (``ReplyTokens/sealed(_:)``); they are opened with `replyTokens` for the transport only, so neither
/// the database nor a log holds them readable. In-app inbox rows are not rewritten.
///
/// Several processes may run passes at once (several daemons on one PostgreSQL): the store hands each
/// due row to one claimer, under a lease of `DeliveryPolicy.lease`.
public struct OutboxDelivery: Sendable {
    private let store: any Store
    private let clock: any RotorClock
    private let owner: String
    private let logger: Logger
    private let policy: DeliveryPolicy
    private let router: ChannelRouter
    /// rotor.yml's `alerts:`: told when a message is given up.
    private let alerts: AlertsConfig
    private let replyTokens: ReplyTokens

    /// A deliverer for `store`'s outbox, reaching the channels of `config` with credentials from
    /// `credentials` through `client`. `replyTokens` opens the sealed reply links and codes of warnings.
    /// `clock` decides what is due and when to retry; `owner` names this process in leases (see `LeaseOwner.make()`).
    ///
    /// Webhook signatures and e-mail `Date:` headers use the wall clock, not `clock`: receivers check
    /// them against their own clocks, even when `rotor tick --now` runs the schedule at another time.
    public init(
        store: any Store, config: RotorConfig, credentials: CredentialResolver, client: HTTPClient, replyTokens: ReplyTokens,
        clock: any RotorClock, owner: String, logger: Logger, policy: DeliveryPolicy = .init()
    ) {
        self.store = store
        self.replyTokens = replyTokens
        self.clock = clock
        self.owner = owner
        self.logger = logger
        self.policy = policy
        router = ChannelRouter(config: config, credentials: credentials, client: client, logger: logger)
        alerts = config.alerts
    }

    /// Claims up to `limit` due notifications and delivers them, `policy.concurrency` at a time.
    ///
    /// Never throws: what went wrong is in the report and the log, and on each row (`last_error`).
    /// A delivery cancelled with the calling task leaves its row claimed, to be taken up again when
    /// the lease expires.
    public func deliverDue(limit: Int = 100) async -> DeliveryReport {
        let now = clock.now
        let leaseUntil = now.addingTimeInterval(DeliveryPolicy.seconds(policy.lease))
        let claimed: [NotificationRecord]
        do {
            claimed = try await store.transaction { [owner] in
                try $0.claimNotifications(now: now, owner: owner, leaseUntil: leaseUntil, limit: max(0, limit))
            }
        } catch {
            logger.error("could not claim due notifications", metadata: ["notify.error": "\(error)"])
            return DeliveryReport(errors: ["could not claim due notifications: \(error)"])
        }
        guard !claimed.isEmpty else { return DeliveryReport() }

        var routes: [String: ChannelRoute] = [:]
        var secrets: [SecretValue] = []
        for channel in Set(claimed.map(\.channel)).sorted() {
            let (route, resolved) = await router.route(channel)
            routes[channel] = route
            secrets += resolved
        }
        // The transports already keep credentials out of their errors; this is the second line.
        let redactor = Redactor(values: secrets)

        var report = DeliveryReport()
        await withTaskGroup(of: Outcome.self) { group in
            var pending = claimed.makeIterator()
            func startNext() -> Bool {
                guard let row = pending.next(), let route = routes[row.channel] else { return false }
                group.addTask { await deliver(row, via: route, redactor: redactor) }
                return true
            }
            var started = 0
            while started < policy.concurrency, startNext() { started += 1 }
            for await outcome in group {
                outcome.record(into: &report)
                _ = startNext()
            }
        }
        return report
    }

    // MARK: - One row

    /// What became of one claimed row.
    private enum Outcome: Sendable {
        case sent
        case retried(String)
        case failed(String)
        /// Delivered or not, the row's state could not be recorded (or the task was cancelled): it
        /// stays claimed and is taken up again when its lease expires.
        case unrecorded(String)

        func record(into report: inout DeliveryReport) {
            switch self {
            case .sent: report.sent += 1
            case .retried(let error): report.retried += 1; report.errors.append(error)
            case .failed(let error): report.failed += 1; report.errors.append(error)
            case .unrecorded(let error): report.errors.append(error)
            }
        }
    }

    private func deliver(_ row: NotificationRecord, via route: ChannelRoute, redactor: Redactor) async -> Outcome {
        var logger = self.logger
        logger[metadataKey: "notify.id"] = "\(row.id)"
        logger[metadataKey: "notify.channel"] = "\(row.channel)"
        logger[metadataKey: "notify.attempt"] = "\(row.attempts)"
        switch route {
        case .inbox:
            return await markSent(row, logger: logger)
        case .undefined:
            return await markFailed(row, reason: router.undefinedReason(for: row), retryable: false, logger: logger)
        case .unavailable(let reason, let retryable):
            return await markFailed(row, reason: redactor.scrub(reason), retryable: retryable, logger: logger)
        case .transport(let transport):
            var ready = row
            let replies: Redactor
            do {
                let opened = try replyTokens.open(row.body)
                ready.body = opened.text
                // A receiver that echoes the message in its error must not put a reply link into `last_error`.
                replies = Redactor(values: [], extra: opened.values)
            } catch {
                return await markFailed(row, reason: "\(error)", retryable: false, logger: logger)
            }
            let scrub = { (text: String) in replies.scrub(redactor.scrub(text)) }
            do {
                try await transport.deliver(NotificationMessage(outboxRow: ready))
            } catch let error as DeliveryError {
                return await markFailed(row, reason: scrub(error.description), retryable: error.retryable, logger: logger)
            } catch is CancellationError {
                logger.notice("notification delivery cancelled; it is taken up again when its lease expires")
                return .unrecorded("\(row.id) (channel \(row.channel)): delivery cancelled; retried when the lease expires")
            } catch {
                let reason = scrub("unexpected failure delivering to \(row.channel): \(error)")
                return await markFailed(row, reason: reason, retryable: true, logger: logger)
            }
            return await markSent(row, logger: logger)
        }
    }

    private func markSent(_ row: NotificationRecord, logger: Logger) async -> Outcome {
        let at = clock.now
        do {
            try await store.transaction { [owner] in try $0.markNotificationSent(id: row.id, owner: owner, at: at) }
        } catch {
            // The receiver has it but the outbox does not know: it will be sent again after the lease.
            logger.error("notification delivered but not recorded as sent; it will be sent again", metadata: ["notify.error": "\(error)"])
            return .unrecorded("\(row.id) (channel \(row.channel)): delivered, but recording it failed: \(error)")
        }
        logger.debug("notification marked sent")
        return .sent
    }

    private func markFailed(_ row: NotificationRecord, reason: String, retryable: Bool, logger: Logger) async -> Outcome {
        let at = clock.now
        let delay = retryable ? policy.delay(afterAttempt: row.attempts, random: Double.random(in: 0..<1)) : nil
        let next = delay.map { at.addingTimeInterval(DeliveryPolicy.seconds($0)) }
        let error: String
        if next != nil {
            error = "attempt \(row.attempts) of \(policy.maxAttempts) failed: \(reason)"
        } else if retryable {
            error = "gave up after \(row.attempts) attempts: \(reason)"
        } else {
            error = "gave up (permanent failure): \(reason)"
        }
        do {
            try await store.transaction { [owner, alerts] tx in
                try tx.markNotificationFailed(id: row.id, owner: owner, error: error, nextAttemptAt: next, at: at)
                // Given up: the alert channels (other than this one) hear of it, in the same transaction.
                if next == nil { try Alerts.notificationGivenUp(tx, row: row, error: error, alerts: alerts, at: at) }
            }
        } catch let storeError {
            logger.error("notification failure could not be recorded; it is retried when its lease expires",
                         metadata: ["notify.error": "\(error)", "store.error": "\(storeError)"])
            return .unrecorded("\(row.id) (channel \(row.channel)): \(error); recording it failed: \(storeError)")
        }
        let line = "\(row.id) (channel \(row.channel)): \(error)"
        if let next {
            logger.warning("notification not delivered; will retry",
                           metadata: ["notify.error": "\(reason)", "notify.next_attempt_at": "\(ISO8601.string(next))"])
            return .retried(line)
        }
        logger.error("notification given up", metadata: ["notify.error": "\(error)"])
        return .failed(line)
    }
}
