/// What an alert or lifecycle message reports: the stable `type` of the webhook event (documented in the
/// README). New cases may be added; existing raw values never change.
public enum AlertType: String, Sendable, Codable, CaseIterable {
    /// A check (or a step) failed and every target holds the previous key again.
    case rolledBack = "rotation.rolled_back"
    /// A rollback could not finish: some target may hold the new key; the event names what each holds.
    case failed = "rotation.failed"
    /// The new key is live everywhere but the old one could not be revoked yet.
    case revokeStalled = "rotation.revoke_stalled"
    /// A rotation could not start or continue because another one holds the secret.
    case blocked = "rotation.blocked"
    /// A process lost its lease on a rotation in the middle of a step.
    case leaseLost = "rotation.lease_lost"
    /// A rotation made no progress for longer than its playbook's `policy.step_timeout` and no process holds it.
    case stuck = "rotation.stuck"
    /// `rotor emergency` started replacing a leaked key.
    case emergencyStarted = "emergency.started"
    /// The emergency replacement is live on every target.
    case emergencyFinished = "emergency.finished"
    /// A secret is older than its policy's `max_age`.
    case complianceOverdue = "compliance.overdue"
    /// The outbox gave up delivering a message to a channel.
    case notificationGivenUp = "notification.given_up"
    /// Lifecycle (opt-in with `notify_on`): a rotation started.
    case started = "rotation.started"
    /// Lifecycle: every target was updated and checked; progress while it goes.
    case progress = "rotation.progress"
    /// Lifecycle: the new key is live everywhere; the old one is revoked at the end of grace.
    case completed = "rotation.completed"
    /// Lifecycle: the old key was revoked; the rotation is over.
    case revoked = "rotation.revoked"

    /// Whether the message is an urgent alert (as opposed to an opt-in lifecycle message).
    public var isUrgent: Bool {
        switch self {
        case .started, .progress, .completed, .revoked: false
        default: true
        }
    }

    /// The short `kind` of the outbox row: `rolled_back`, `emergency_started`, `given_up` …
    public var kind: String {
        let name = rawValue.hasPrefix("rotation.") ? String(rawValue.dropFirst("rotation.".count)) : rawValue
        return name.replacingOccurrences(of: ".", with: "_")
    }
}
