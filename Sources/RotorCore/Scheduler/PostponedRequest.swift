import Foundation

/// A skip (CLI, link or text reply) of a secret whose scheduled rotation waits for a person's value (`awaiting_value`)
/// postpones the request: the waiting rotation ends (`rolled_back`, nothing having been minted or written), so its
/// supply link no longer works, and the scheduler asks again `request_before` the new due date. Inside the skip's
/// transaction, which holds the secret's row.
enum PostponedRequest {
    /// How the ended rotation's `error` starts: what tells it from a rollback (``RetryState`` does not count it).
    static let marker = "postponed by a skip"

    /// Whether `rotation` is a request a skip withdrew.
    static func isPostponed(_ rotation: RotationRecord) -> Bool {
        rotation.state == .rolledBack && rotation.error?.hasPrefix(marker) == true
    }

    /// Ends the secret's scheduled rotation waiting for a value, if there is one, and audits it; returns it. A
    /// rotation that a supply is carrying on right now (its lease held) is left to it.
    static func end(_ tx: any StoreTransaction, playbook: Playbook, actor: String, reason: String, newDate: Date,
                    at now: Date) throws -> RotationRecord? {
        guard let waiting = try tx.activeRotation(secretName: playbook.secret), waiting.state == .awaitingValue,
              waiting.trigger == .schedule || waiting.trigger == .compliance,
              let claimed = try tx.claimRotation(id: waiting.id, owner: "skip", until: now.addingTimeInterval(60), now: now)
        else { return nil }
        let askAgain = max(newDate.addingTimeInterval(-playbook.requestLead.timeInterval), now)
        let lease = RotationLease(rotationID: claimed.id, owner: "skip", fence: claimed.fence)
        try tx.updateRotation(lease, RotationChange(state: .rolledBack, error: .some("\(marker) (\(actor)); asked again at "
                                                                                      + ISO8601.string(askAgain)),
                                                    lease: .release, updatedAt: now, completedAt: now))
        try tx.appendJournal(rotationID: claimed.id, step: "postponed", phase: .succeeded, detail: "by \(actor)", at: now)
        try tx.appendAudit(AuditEvent(at: now, subject: playbook.secret, subjectKind: "secret", action: "rotation.postponed",
                                      trigger: claimed.trigger.rawValue, actor: actor, reason: reason, outcome: "rolled_back",
                                      rotationID: claimed.id,
                                      detail: "the request for a new value was withdrawn (nothing was minted or written; its "
                                        + "supply link no longer works); a new request goes out at \(ISO8601.string(askAgain))"))
        return claimed
    }
}
