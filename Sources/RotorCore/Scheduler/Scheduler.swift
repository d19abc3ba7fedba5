import Foundation
import Logging

/// Work on customer keys that the scheduler hands to the key table (which RotorCore does not know).
public protocol KeyScheduling: Sendable {
    /// Rotates keys old enough that they would otherwise pass their maximum age; returns what it did.
    func rotateDueKeys(now: Date, limit: Int) async -> [TickItem]
}

/// One scheduling pass: advance warnings, due rotations (inside their window), compliance-forced
/// rotations, and the customer keys' age limit. Grace ends and resumes are `Maintenance`'s part.
public struct Scheduler: Sendable {
    public struct Configuration: Sendable {
        /// Where links in messages point (rotor.yml `server.public_url`); nil: messages carry codes only.
        public var publicURL: String?
        public init(publicURL: String? = nil) { self.publicURL = publicURL }
    }

    let runner: RotationRunner
    let store: any Store
    let clock: any RotorClock
    let playbooks: [Playbook]
    let replyTokens: ReplyTokens
    let keys: (any KeyScheduling)?
    let configuration: Configuration
    let logger: Logger

    public init(runner: RotationRunner, store: any Store, clock: any RotorClock, playbooks: [Playbook], replyTokens: ReplyTokens,
                keys: (any KeyScheduling)?, configuration: Configuration, logger: Logger) {
        self.runner = runner
        self.store = store
        self.clock = clock
        self.playbooks = playbooks
        self.replyTokens = replyTokens
        self.keys = keys
        self.configuration = configuration
        self.logger = logger
    }

    public func tick() async -> [TickItem] {
        var items: [TickItem] = []
        for playbook in playbooks where !playbook.isKeyTable && playbook.schedule != nil {
            do {
                items += try await pass(playbook)
            } catch {
                items.append(TickItem(subject: playbook.secret, action: "error", message: "\(error)"))
            }
        }
        if let keys { items += await keys.rotateDueKeys(now: clock.now, limit: 500) }
        return items
    }

    /// The plan for one secret: when it is due, and which warnings are due now.
    public struct Plan: Sendable {
        public var due: Date
        public var deadline: Date
        /// The schedule (or a skip) would have gone past the maximum age: the due time is the limit itself.
        public var clamped: Bool
        public var warnings: [(key: String, at: Date)]
    }

    public static func plan(_ playbook: Playbook, cycleStart: Date, nextRotation: Date?) -> Plan? {
        guard let schedule = playbook.schedule else { return nil }
        let deadline = cycleStart.addingTimeInterval(playbook.policy.maxAge.timeInterval)
        guard let natural = nextRotation ?? ScheduleMath.nextRotation(after: cycleStart, schedule: schedule) else { return nil }
        let due = min(natural, deadline)
        let stamp = Int(due.timeIntervalSince1970)
        return Plan(due: due, deadline: deadline, clamped: natural > deadline,
                    warnings: ScheduleMath.warnings(before: due, schedule: schedule).map { (key: "\($0.key)@\(stamp)", at: $0.at) })
    }

    private func pass(_ playbook: Playbook) async throws -> [TickItem] {
        let now = clock.now
        let secretName = playbook.secret
        let publicURL = configuration.publicURL
        let tokens = replyTokens
        // Warnings and the cycle's bookkeeping in one transaction: a warning is enqueued (deduplicated per
        // channel) together with the mark that it was sent, so it goes out once per cycle.
        let (due, deadline, clamped, warned) = try await store.transaction { tx -> (Date?, Date?, Bool, [String]) in
            guard let current = try tx.version(secretName: secretName, label: .current) else { return (nil, nil, false, []) }
            let cycleStart = current.activatedAt ?? current.createdAt
            var secret = try tx.secret(named: secretName)
                ?? SecretRecord(name: secretName, playbookPath: playbook.file, kind: .secret, nextRotationAt: nil,
                                cycleStartedAt: nil, warningsSent: [], skipsThisCycle: 0, createdAt: now, updatedAt: now)
            if secret.cycleStartedAt != cycleStart || secret.nextRotationAt == nil {
                secret.cycleStartedAt = cycleStart
                secret.nextRotationAt = Self.plan(playbook, cycleStart: cycleStart, nextRotation: nil)?.due
                secret.warningsSent = []
                secret.skipsThisCycle = 0
            }
            guard let plan = Self.plan(playbook, cycleStart: cycleStart, nextRotation: secret.nextRotationAt) else {
                try tx.upsertSecret(secret)
                return (nil, nil, false, [])
            }
            secret.nextRotationAt = plan.due
            var sent: [String] = []
            let active = try tx.activeRotation(secretName: secretName)
            for warning in plan.warnings where warning.at <= now && now < plan.due && active == nil
                && !secret.warningsSent.contains(warning.key) {
                let code = ReplyTokens.newCode()
                let skip = try tokens.issue(tx, secret: secretName, action: "skip", code: code, expires: plan.due, at: now)
                let rotate = try tokens.issue(tx, secret: secretName, action: "rotate-now", code: nil, expires: plan.due, at: now)
                let summary = SecretVersionSummary(current)
                // The outbox keeps the link tokens and the code sealed; delivery opens them.
                let body = Notices.warningBody(secret: secretName, current: summary.display, due: plan.due,
                                               skipLink: try publicURL.map { "\($0)/r/\(try tokens.sealed(skip))" },
                                               rotateLink: try publicURL.map { "\($0)/r/\(try tokens.sealed(rotate))" },
                                               code: try tokens.sealed(code), skipFor: playbook.policy.skipFor)
                var enqueued = false
                for notice in Notices.make(kind: "warning", secret: secretName, channels: playbook.notify, urgent: false,
                                           subject: "\(secretName) rotates at \(ISO8601.string(plan.due))", body: body,
                                           dedupe: "warning:\(secretName):\(warning.key)", at: now) {
                    enqueued = try tx.enqueueNotification(notice) || enqueued
                }
                secret.warningsSent.append(warning.key)
                // Another daemon sent it a moment ago (the outbox keeps one row per channel): nothing more to record.
                guard enqueued || playbook.notify.isEmpty else { continue }
                try tx.appendAudit(AuditEvent(at: now, subject: secretName, subjectKind: "secret", action: "warning.sent",
                                              oldFingerprint: current.fingerprint, oldLast4: current.last4, trigger: "schedule",
                                              actor: "scheduler", outcome: "succeeded",
                                              detail: "\(warning.key) to \(playbook.notify.joined(separator: ", "))"))
                sent.append(warning.key)
            }
            secret.updatedAt = now
            try tx.upsertSecret(secret)
            return (plan.due, plan.deadline, plan.clamped, sent)
        }

        var items = warned.map { TickItem(subject: secretName, action: "warned", message: "advance warning \($0)") }
        guard let due, let deadline, now >= due, let schedule = playbook.schedule else { return items }
        let forced = now >= deadline
        let inWindow = schedule.window?.contains(now, in: schedule.timeZone) ?? true
        guard inWindow || forced else {
            items.append(TickItem(subject: secretName, action: "waiting", message: "due, waiting for the window \(schedule.window!)"))
            return items
        }
        if try await store.transaction({ try $0.activeRotation(secretName: secretName) }) != nil { return items }
        // On schedule inside its window; `compliance` when only the age limit makes it happen now.
        let trigger: RotationTrigger = inWindow && !clamped ? .schedule : .compliance
        do {
            let outcome = try await runner.rotate(playbook, .init(trigger: trigger, actor: "scheduler",
                                                                  reason: trigger == .compliance ? "max_age reached" : "scheduled"))
            items.append(TickItem(subject: secretName, rotationID: outcome.rotation.id, action: "rotated",
                                  state: outcome.rotation.state.rawValue, message: outcome.rotation.error ?? "\(trigger.rawValue) rotation"))
        } catch let error as RunnerError {
            items.append(TickItem(subject: secretName, action: "skipped", message: "\(error)"))
        }
        return items
    }
}
