/// What one pass of `OutboxDelivery.deliverDue` did.
public struct DeliveryReport: Sendable, Equatable, Codable {
    /// Notifications delivered (or, for `outbox` channels, placed in the inbox).
    public var sent: Int
    /// Notifications that failed and are scheduled for another attempt.
    public var retried: Int
    /// Notifications given up: a permanent failure, the last attempt, or an unknown channel.
    public var failed: Int
    /// One line per failure, naming the notification and the channel; never a credential.
    public var errors: [String]

    /// A report; an empty pass by default.
    public init(sent: Int = 0, retried: Int = 0, failed: Int = 0, errors: [String] = []) {
        self.sent = sent
        self.retried = retried
        self.failed = failed
        self.errors = errors
    }

    /// Whether the pass found nothing to do.
    public var isEmpty: Bool { sent == 0 && retried == 0 && failed == 0 && errors.isEmpty }
}
