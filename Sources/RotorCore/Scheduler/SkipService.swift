import Foundation

/// Postponing a scheduled rotation: one rule for the CLI, signed links and text replies.
///
/// A skip moves the next rotation by `policy.skip_for` (or the asked duration), at most
/// `policy.max_skips` times per cycle, and never past `policy.max_age` since the current version was
/// created: a skip that would cross it is cut to the limit, unless an operator overrides compliance
/// (audited as such). A scheduled request for a manual source's value that is still waiting is withdrawn and made
/// again `request_before` the new date (``PostponedRequest``).
public struct SkipService: Sendable {
    let store: any Store
    let clock: any RotorClock

    public init(store: any Store, clock: any RotorClock) {
        self.store = store
        self.clock = clock
    }

    public struct Outcome: Sendable, Codable, Equatable {
        public var secret: String
        public var previousDate: Date?
        public var newDate: Date
        public var capped: Bool
        public var skipsUsed: Int
        public var maxSkips: Int
        public var message: String
    }

    public func skip(_ playbook: Playbook, for requested: Duration?, reason: String, actor: String, via: String,
                     overrideCompliance: Bool = false) async throws -> Outcome {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw SkipError.reasonRequired }
        guard playbook.schedule != nil else { throw SkipError.notScheduled(playbook.secret) }
        let now = clock.now
        let policy = playbook.policy
        return try await store.transaction { tx in
            // The row stays locked until this commits, so a scheduler pass running now waits and then builds on
            // this skip (and a skip waits for a pass). A record still on the previous cycle is first brought to
            // the current one, as the pass would, so the pass does not reset the new date afterwards.
            guard let locked = try tx.lockSecret(named: playbook.secret),
                  let current = try tx.version(secretName: playbook.secret, label: .current) else {
                throw SkipError.notImported(playbook.secret)
            }
            var secret = SecretSchedule.synced(locked, playbook: playbook, current: current, now: now)
            if !overrideCompliance, secret.skipsThisCycle >= policy.maxSkips {
                throw SkipError.tooManySkips(secret: playbook.secret, max: policy.maxSkips)
            }
            let base = max(secret.nextRotationAt ?? now, now)
            var newDate = base.addingTimeInterval((requested ?? policy.skipFor).timeInterval)
            let limit = SecretSchedule.cycleStart(of: current).addingTimeInterval(policy.maxAge.timeInterval)
            var capped = false
            if newDate > limit, !overrideCompliance {
                newDate = max(limit, now)
                capped = true
            }
            let previous = secret.nextRotationAt
            secret.nextRotationAt = newDate
            secret.skipsThisCycle += 1
            secret.warningsSent = []
            secret.updatedAt = now
            try tx.updateSchedule(of: secret)
            let withdrawn = try PostponedRequest.end(tx, playbook: playbook, actor: actor, reason: reason, newDate: newDate, at: now)
            let message = (capped
                ? "\(playbook.secret) postponed to \(ISO8601.string(newDate)), not further: that is the compliance limit "
                    + "(\(DurationText.format(policy.maxAge)) since the current key was created)"
                : "\(playbook.secret) postponed to \(ISO8601.string(newDate))")
                + (withdrawn.map { "; the request for a new value (rotation \($0.id)) is withdrawn and asked again "
                    + "\(DurationText.format(playbook.requestLead)) before then" } ?? "")
            try tx.appendAudit(AuditEvent(at: now, subject: playbook.secret, subjectKind: "secret",
                                          action: overrideCompliance ? "secret.skipped.override-compliance" : "secret.skipped",
                                          oldFingerprint: current.fingerprint, oldLast4: current.last4, trigger: "manual",
                                          actor: actor, reason: reason, outcome: capped ? "capped" : "succeeded",
                                          detail: "via \(via); was \(previous.map(ISO8601.string) ?? "unscheduled"), now \(ISO8601.string(newDate))"))
            for notice in Notices.make(kind: "skip", secret: playbook.secret, channels: playbook.notify, urgent: overrideCompliance,
                                       subject: "\(playbook.secret) rotation postponed", body: message + " (by \(actor): \(reason))",
                                       dedupe: "skip:\(playbook.secret):\(secret.skipsThisCycle):\(Int(newDate.timeIntervalSince1970))", at: now) {
                try tx.enqueueNotification(notice)
            }
            return Outcome(secret: playbook.secret, previousDate: previous, newDate: newDate, capped: capped,
                           skipsUsed: secret.skipsThisCycle, maxSkips: policy.maxSkips, message: message)
        }
    }

    /// "Rotate now" from a link or a reply: makes the rotation due at once (the next pass starts it).
    public func rotateNow(_ playbook: Playbook, actor: String, via: String) async throws -> Date {
        let now = clock.now
        return try await store.transaction { tx in
            guard let locked = try tx.lockSecret(named: playbook.secret) else { throw SkipError.notImported(playbook.secret) }
            var secret = locked
            if let current = try tx.version(secretName: playbook.secret, label: .current) {
                secret = SecretSchedule.synced(locked, playbook: playbook, current: current, now: now)
            }
            secret.nextRotationAt = now
            secret.updatedAt = now
            try tx.updateSchedule(of: secret)
            try tx.appendAudit(AuditEvent(at: now, subject: playbook.secret, subjectKind: "secret", action: "secret.rotate-now",
                                          trigger: "manual", actor: actor, outcome: "succeeded", detail: "via \(via)"))
            return now
        }
    }
}
