import RotorCore

/// One message to the owners of a secret, before any channel formats it.
///
/// Not called `Notification`: that name would be ambiguous with `Foundation.Notification` in every
/// file that imports Foundation.
///
/// The text is plain and already free of secret values (the engine refers to versions by fingerprint
/// and last four characters); transports format it but add nothing sensitive.
public struct NotificationMessage: Sendable, Equatable {
    /// What happened: `warning`, `started`, `completed`, `rolled_back`, `failed`, `revoked`,
    /// `key_rotated`, ...
    public var kind: String
    /// Whether to shout: emergencies and failures. Slack prefixes the message, e-mail marks the
    /// subject and priority, webhooks carry the flag.
    public var urgent: Bool
    /// One line: what a chat notification or a mail subject shows.
    public var subject: String
    /// The message, plain text.
    public var text: String
    /// Links by label, such as `"Skip 30 days": "https://rotor.example.com/r/…"`.
    public var links: [String: String]
    /// Facts by name, such as `"secret": "openai-api-key"`, `"rotates_at": "2025-03-01T02:00:00Z"`.
    public var fields: [String: String]
    /// A stable identifier for this notification (the outbox row), or nil. Webhooks send it as
    /// `id` and `X-Rotor-Delivery`, and e-mail derives its Message-ID from it, so that a receiver
    /// can recognise a copy sent again after a retry.
    public var id: String?
    /// The structured event of an alert (type, secret, state, versions by last 4, targets, what was done, the
    /// fix), from which Slack blocks and the webhook's `type` and `event` are built; nil for other messages.
    public var event: AlertEvent?

    /// Creates a notification.
    public init(
        kind: String, urgent: Bool = false, subject: String, text: String, links: [String: String] = [:],
        fields: [String: String] = [:], id: String? = nil, event: AlertEvent? = nil
    ) {
        self.kind = kind
        self.urgent = urgent
        self.subject = subject
        self.text = text
        self.links = links
        self.fields = fields
        self.id = id
        self.event = event
    }
}
