/// What a playbook's `notify:` channels hear about, from `notify_on:` (default `[warning, failed, emergency]`).
/// rotor.yml's `alerts:` channels hear every failure and emergency whatever this says.
public enum NotifyEvent: String, Sendable, Hashable, CaseIterable {
    /// Advance warnings before a scheduled rotation.
    case warning
    /// A rotation started, and its progress as targets go live.
    case started
    /// The new key is live on every target; names them and when the old key is revoked.
    case completed
    /// The old key was revoked; gives the next rotation date.
    case revoked
    /// Failures: rolled back, undo failed, revoke stalled, blocked, lease lost, compliance overdue.
    case failed
    /// Emergency rotations started and finished.
    case emergency

    /// What a playbook that does not say gets.
    public static let defaults: Set<NotifyEvent> = [.warning, .failed, .emergency]
}
