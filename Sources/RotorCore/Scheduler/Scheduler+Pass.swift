import Foundation

extension Scheduler {
    /// What a pass's bookkeeping found and did for one secret.
    struct Cycle: Sendable {
        var plan: Plan
        var warned: [String]
        var retry: RetryState
        var active: RotationRecord?
        var current: SecretVersionRecord
    }

    /// One secret: its cycle's bookkeeping and warnings, then (when due, in its window, and not backing off after
    /// failures) its rotation.
    func pass(_ playbook: Playbook) async throws -> [TickItem] {
        let now = clock.now
        let secretName = playbook.secret
        guard let cycle = try await bookkeeping(playbook, now: now) else { return [] }
        var items = cycle.warned.map { TickItem(subject: secretName, action: "warned", message: "advance warning \($0)") }
        let plan = cycle.plan
        // A rotation that started before the secret fell due is in the way (one started since is another daemon's;
        // one waiting for a person's value was asked for ahead of the due date on purpose).
        if now >= plan.due, let active = cycle.active, active.createdAt < plan.due, active.state != .awaitingValue {
            let audience = AlertAudience(playbook: playbook, alerts: configuration.alerts)
            try await store.transaction { tx in
                try Alerts.blocked(tx, secret: secretName, blocking: active, request: "The scheduled rotation",
                                   audience: audience, at: now)
            }
        }
        // A person is asked for a manual source's value `request_before` the due date.
        let startsAt = plan.due.addingTimeInterval(-playbook.requestLead.timeInterval)
        guard now >= startsAt, cycle.active == nil, let schedule = playbook.schedule else { return items }
        if cycle.retry.holds(at: now), let retryAt = cycle.retry.retryAt {
            if retryAt > plan.deadline { try await alertPastMaxAge(playbook, cycle: cycle, retryAt: retryAt, now: now) }
            items.append(TickItem(subject: secretName, action: "waiting",
                                  message: "backing off after \(cycle.retry.attempt) failed attempt\(cycle.retry.attempt == 1 ? "" : "s"); "
                                    + "next try at \(ISO8601.string(retryAt)) (`rotor rotate \(secretName)` tries now)"))
            return items
        }
        let forced = now >= plan.deadline
        // A request for a value is only a message: it needs no rotation window.
        let inWindow = playbook.awaitsValue || (schedule.window?.contains(now, in: schedule.timeZone) ?? true)
        guard inWindow || forced else {
            items.append(TickItem(subject: secretName, action: "waiting", message: "due, waiting for the window \(schedule.window!)"))
            return items
        }
        // On schedule inside its window; `compliance` when only the age limit makes it happen now.
        let trigger: RotationTrigger = inWindow && !plan.clamped ? .schedule : .compliance
        do {
            let outcome = try await runner.rotate(playbook, .init(trigger: trigger, actor: "scheduler",
                                                                  reason: trigger == .compliance ? "max_age reached" : "scheduled"))
            items.append(TickItem(subject: secretName, rotationID: outcome.rotation.id, action: "rotated",
                                  state: outcome.rotation.state.rawValue, message: outcome.rotation.error ?? "\(trigger.rawValue) rotation"))
        } catch let error as RunnerError {
            items.append(TickItem(subject: secretName, action: "skipped", message: "\(error)"))
        } catch let error as StoreError where error.code == .activeRotationExists {
            // Another process started it a moment ago: its rotation, not an error of this pass.
            logger.info("rotation started by another process", metadata: ["secret": "\(secretName)"])
            items.append(TickItem(subject: secretName, action: "skipped", message: "being rotated by another process"))
        }
        return items
    }

    /// Brings the secret's record to its current cycle and sends the warnings now due, in one transaction that
    /// holds the secret's row: a skip made meanwhile (CLI, link, reply) waits for it and then applies to what it
    /// wrote, instead of being overwritten. Only the scheduling columns are written. A row another process holds
    /// is left to it (claimed with SKIP LOCKED on PostgreSQL). Nil: nothing imported, or another process's turn.
    func bookkeeping(_ playbook: Playbook, now: Date) async throws -> Cycle? {
        let secretName = playbook.secret
        let publicURL = configuration.publicURL
        let tokens = replyTokens
        let hook = whileLocked
        let logger = logger
        return try await store.transaction { tx -> Cycle? in
            guard let current = try tx.version(secretName: secretName, label: .current) else { return nil }
            let locked = try tx.claimSecret(named: secretName)
            if locked == nil, try tx.secret(named: secretName) != nil {
                // Another pass (or a skip) holds the row right now: this secret is its work this time.
                logger.info("secret being scheduled by another process", metadata: ["secret": "\(secretName)"])
                return nil
            }
            hook?(secretName)
            var secret = SecretSchedule.synced(locked, playbook: playbook, current: current, now: now)
            guard let plan = Self.plan(playbook, cycleStart: SecretSchedule.cycleStart(of: current),
                                       nextRotation: secret.nextRotationAt) else { return nil }
            secret.nextRotationAt = plan.due
            let active = try tx.activeRotation(secretName: secretName)
            var sent: [String] = []
            for warning in plan.warnings where warning.at <= now && now < plan.due && active == nil
                && !secret.warningsSent.contains(warning.key) {
                secret.warningsSent.append(warning.key)
                let announced = try Self.sendWarning(warning.key, playbook: playbook, current: current, due: plan.due,
                                                     tokens: tokens, publicURL: publicURL, now: now, tx: tx)
                if announced { sent.append(warning.key) }
            }
            if locked == nil {
                secret.updatedAt = now
                try tx.upsertSecret(secret)
            } else if secret != locked {
                secret.updatedAt = now
                try tx.updateSchedule(of: secret)
            }
            return Cycle(plan: plan, warned: sent, retry: RetryState(history: try tx.rotations(secretName: secretName),
                                                                     policy: playbook.policy),
                         active: active, current: current)
        }
    }

    /// Enqueues one advance warning (deduplicated per channel) with its reply links and audits it. False when
    /// another daemon sent it a moment ago (the outbox keeps one row per channel): nothing more to record.
    static func sendWarning(_ key: String, playbook: Playbook, current: SecretVersionRecord, due: Date, tokens: ReplyTokens,
                            publicURL: String?, now: Date, tx: any StoreTransaction) throws -> Bool {
        let secretName = playbook.secret
        let code = ReplyTokens.newCode()
        let skip = try tokens.issue(tx, secret: secretName, action: "skip", code: code, expires: due, at: now)
        let rotate = try tokens.issue(tx, secret: secretName, action: "rotate-now", code: nil, expires: due, at: now)
        // The outbox keeps the link tokens and the code sealed; delivery opens them.
        let body = Notices.warningBody(secret: secretName, current: SecretVersionSummary(current).display, due: due,
                                       skipLink: try publicURL.map { "\($0)/r/\(try tokens.sealed(skip))" },
                                       rotateLink: try publicURL.map { "\($0)/r/\(try tokens.sealed(rotate))" },
                                       code: try tokens.sealed(code), skipFor: playbook.policy.skipFor)
        // `notify_on:` without `warning` silences the advance warnings.
        let warnTo = playbook.notifyOn.contains(.warning) ? playbook.notify : []
        var enqueued = false
        for notice in Notices.make(kind: "warning", secret: secretName, channels: warnTo, urgent: false,
                                   subject: "\(secretName) rotates at \(ISO8601.string(due))", body: body,
                                   dedupe: "warning:\(secretName):\(key)", at: now) {
            enqueued = try tx.enqueueNotification(notice) || enqueued
        }
        guard enqueued || warnTo.isEmpty else { return false }
        try tx.appendAudit(AuditEvent(at: now, subject: secretName, subjectKind: "secret", action: "warning.sent",
                                      oldFingerprint: current.fingerprint, oldLast4: current.last4, trigger: "schedule",
                                      actor: "scheduler", outcome: "succeeded",
                                      detail: "\(key) to \(warnTo.joined(separator: ", "))"))
        return true
    }

    /// The backoff after failed rotations would keep the secret past `max_age`: tells the playbook's channels and
    /// rotor.yml's `alerts:` channels (as every urgent alert), once per failed attempt.
    func alertPastMaxAge(_ playbook: Playbook, cycle: Cycle, retryAt: Date, now: Date) async throws {
        let secretName = playbook.secret
        let attempt = cycle.retry.attempt
        let stamp = Int(SecretSchedule.cycleStart(of: cycle.current).timeIntervalSince1970)
        let body = "\(secretName) could not be rotated (\(attempt) failed attempt\(attempt == 1 ? "" : "s")"
            + "\(cycle.retry.lastError.map { ", last: \($0)" } ?? "")). Its current key reaches max_age at "
            + "\(ISO8601.string(cycle.plan.deadline)); the next automatic try is at \(ISO8601.string(retryAt)). "
            + "Fix the cause and run `rotor rotate \(secretName)`."
        let channels = AlertAudience(playbook: playbook, alerts: configuration.alerts).channels(for: .complianceOverdue)
        // The structured event lets Slack blocks and webhook bodies show it like the other alerts.
        let event = AlertEvent(type: .complianceOverdue, secret: secretName, state: "backing_off",
                               summary: "\(secretName) will pass its max_age at \(ISO8601.string(cycle.plan.deadline)): "
                                + "\(attempt) failed attempt\(attempt == 1 ? "" : "s") and the next automatic try is at "
                                + "\(ISO8601.string(retryAt)).",
                               done: "the scheduler backs off after failed rotations"
                                + (cycle.retry.lastError.map { "; the last one failed: \($0)" } ?? ""),
                               fix: "fix the cause, then run `rotor rotate \(secretName)`", at: now)
        let notices = Notices.make(kind: "overdue", secret: secretName, channels: channels, urgent: true,
                                   subject: "\(secretName) will pass its max_age", body: body,
                                   dedupe: "overdue:\(secretName):\(stamp):\(attempt)", at: now)
            .map { notice in
                var notice = notice
                notice.event = event.json()
                return notice
            }
        try await store.transaction { tx in
            var enqueued = false
            for notice in notices { enqueued = try tx.enqueueNotification(notice) || enqueued }
            guard enqueued else { return }
            try tx.appendAudit(AuditEvent(at: now, subject: secretName, subjectKind: "secret", action: "alert.past-max-age",
                                          trigger: "schedule", actor: "scheduler", outcome: "sent",
                                          detail: "attempt \(attempt), retry at \(ISO8601.string(retryAt))"))
        }
    }
}
