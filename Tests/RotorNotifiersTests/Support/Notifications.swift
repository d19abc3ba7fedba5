import RotorNotifiers

/// Notifications the transport tests send.
enum Notifications {
    /// An advance warning with fields, links and characters every format must escape.
    static let warning = NotificationMessage(
        kind: "warning", urgent: false,
        subject: "openai-api-key rotates in 7 days",
        text: "The key sk-…x7K2 will be replaced on 2025-03-01 at 02:00 UTC. Nothing needs doing. <b>&</b>",
        links: ["Skip 30 days": "https://rotor.example.com/r/skip-token?a=1&b=2",
                "Rotate now": "https://rotor.example.com/r/now-token"],
        fields: ["secret": "openai-api-key", "rotates_at": "2025-03-01T02:00:00Z"],
        id: "outbox-42")

    /// A failed rotation: urgent.
    static let failed = NotificationMessage(
        kind: "failed", urgent: true, subject: "Rotation of stripe-key failed",
        text: "Rollback failed on target render:srv-abc123. Act now.", fields: ["secret": "stripe-key"])
}
