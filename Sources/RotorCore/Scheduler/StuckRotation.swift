import Foundation

/// A rotation that stopped moving: no process holds its lease, and neither its row nor its journal changed for
/// longer than the playbook's `policy.step_timeout` (default 30 minutes). `status` shows it as `stuck` and
/// `compliance` as `failing`, so nobody takes a rotation that a crashed or wedged process left behind for one
/// that is merely slow.
public enum StuckRotation {
    /// When `rotation` last made progress, if it has been stuck since then at `now`; nil when it is not stuck
    /// (not active, in grace, still leased, or recently moved).
    public static func since(_ rotation: RotationRecord?, lastStep: JournalEntry?, policy: RotationPolicy, now: Date) -> Date? {
        guard let rotation, rotation.state.isActive, rotation.state != .grace, !rotation.state.waitsForPerson else { return nil }
        if let lease = rotation.leaseExpiresAt, lease > now { return nil }
        let progress = max(rotation.updatedAt, lastStep?.at ?? rotation.updatedAt)
        return now.timeIntervalSince(progress) > policy.stepTimeout.timeInterval ? progress : nil
    }
}
