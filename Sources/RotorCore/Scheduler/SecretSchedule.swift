import Foundation

/// The one place that says when a secret rotates next. The scheduler's pass, `rotor skip` (and the reply links),
/// `status`, `schedule` and `compliance` all ask it, so they agree to the second.
///
/// A cycle starts when the current version was promoted (`activatedAt`, or `createdAt` for an imported one); the
/// record's `nextRotationAt` belongs to that cycle only while `cycleStartedAt` says so. A record still on an older
/// cycle (a rotation finished and no pass ran since) is read as a fresh cycle, so a skip taken in that moment
/// moves the new cycle's date and is not reset by the next pass.
public enum SecretSchedule {
    /// When the cycle of `current` started: its promotion, or its creation if it was never promoted.
    public static func cycleStart(of current: SecretVersionRecord) -> Date {
        current.activatedAt ?? current.createdAt
    }

    /// `record` (or a new one) brought to the cycle of `current`: on a new cycle the date is recomputed and
    /// the warnings and skips start again from nothing. Unchanged when the record is already on that cycle.
    public static func synced(_ record: SecretRecord?, playbook: Playbook, current: SecretVersionRecord,
                              now: Date) -> SecretRecord {
        let cycleStart = cycleStart(of: current)
        var secret = record ?? SecretRecord(name: playbook.secret, playbookPath: playbook.file, kind: .secret,
                                            createdAt: now, updatedAt: now)
        if secret.cycleStartedAt != cycleStart || secret.nextRotationAt == nil {
            secret.cycleStartedAt = cycleStart
            secret.nextRotationAt = Scheduler.plan(playbook, cycleStart: cycleStart, nextRotation: nil)?.due
            secret.warningsSent = []
            secret.skipsThisCycle = 0
        }
        return secret
    }

    /// The plan of the secret's current cycle: due time (never past `max_age`), deadline and warnings.
    /// Nil when the playbook has no schedule.
    public static func plan(_ record: SecretRecord?, playbook: Playbook, current: SecretVersionRecord,
                            now: Date) -> Scheduler.Plan? {
        let secret = synced(record, playbook: playbook, current: current, now: now)
        return Scheduler.plan(playbook, cycleStart: cycleStart(of: current), nextRotation: secret.nextRotationAt)
    }

    /// When the secret rotates next as every command shows it: the cycle's due time, or later while a failed
    /// rotation's backoff runs (``RetryState``). Nil without a schedule or a current version.
    public static func nextRotation(_ record: SecretRecord?, playbook: Playbook, current: SecretVersionRecord?,
                                    history: [RotationRecord], now: Date) -> Date? {
        guard let current, let plan = plan(record, playbook: playbook, current: current, now: now) else { return nil }
        let retry = RetryState(history: history, policy: playbook.policy)
        return max(plan.due, retry.retryAt ?? plan.due)
    }
}
