import RotorCore

/// How one delivery pass reaches a channel, decided once per pass from `rotor.yml`.
enum ChannelRoute: Sendable {
    /// Through a transport.
    case transport(any NotificationTransport)
    /// The customer's in-app inbox: the outbox row itself is the message, so it only needs marking sent.
    case inbox
    /// rotor.yml defines no channel of that name: given up at once, with a hint that fits the message
    /// (``ChannelRouter/undefinedReason(for:)``).
    case undefined
    /// Not deliverable this pass, for `reason`; `retryable` when fixing the environment (a credential
    /// file, a variable) could help without changing the message.
    case unavailable(reason: String, retryable: Bool)
}
