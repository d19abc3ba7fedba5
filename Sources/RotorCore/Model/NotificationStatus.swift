/// Delivery state of an outbox notification.
public enum NotificationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for `nextAttemptAt`.
    case pending
    /// Claimed by a daemon under a lease; taken back if the lease expires.
    case sending
    case sent
    /// Given up after the last retry.
    case failed
}
