import Foundation

/// A message in the notification outbox (warning, emergency alert, failure), delivered at least once per dedupe key.
public struct NotificationRecord: Sendable, Equatable {
    public var id: String
    /// The configured channel name, for example `security-slack`.
    public var channel: String
    public var org: String?
    public var secretName: String?
    /// What kind of message: `warning`, `rotated`, `emergency`, `failed`, ….
    public var kind: String
    public var urgent: Bool
    public var subject: String
    /// The message text; never contains a secret value.
    public var body: String
    /// Unique: enqueuing the same key twice sends one message.
    public var dedupeKey: String
    public var status: NotificationStatus
    public var attempts: Int
    public var nextAttemptAt: Date
    public var leaseOwner: String?
    public var leaseExpiresAt: Date?
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?
    /// The structured event an alert reports (JSON of ``AlertEvent``), for Slack blocks and webhook bodies; nil
    /// for other messages. Like the body, it never holds a secret value.
    public var event: String?

    public init(
        id: String,
        channel: String,
        org: String? = nil,
        secretName: String? = nil,
        kind: String,
        urgent: Bool = false,
        subject: String,
        body: String,
        dedupeKey: String,
        status: NotificationStatus = .pending,
        attempts: Int = 0,
        nextAttemptAt: Date,
        leaseOwner: String? = nil,
        leaseExpiresAt: Date? = nil,
        lastError: String? = nil,
        createdAt: Date,
        sentAt: Date? = nil,
        event: String? = nil
    ) {
        self.id = id
        self.channel = channel
        self.org = org
        self.secretName = secretName
        self.kind = kind
        self.urgent = urgent
        self.subject = subject
        self.body = body
        self.dedupeKey = dedupeKey
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.leaseOwner = leaseOwner
        self.leaseExpiresAt = leaseExpiresAt
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
        self.event = event
    }
}
