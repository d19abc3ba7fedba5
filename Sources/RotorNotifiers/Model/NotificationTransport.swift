/// A channel that delivers notifications: Slack, a signed webhook, e-mail.
///
/// Transports are stateless and try once: persistence, retries and backoff belong to the outbox that
/// calls them, guided by `DeliveryError.retryable`.
public protocol NotificationTransport: Sendable {
    /// Delivers `notification`, returning once the receiving server has accepted it.
    ///
    /// - Throws: `DeliveryError` when it was not accepted, saying whether a later attempt could
    ///   succeed; `CancellationError` when the calling task is cancelled.
    func deliver(_ notification: NotificationMessage) async throws
}
