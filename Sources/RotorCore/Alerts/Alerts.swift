import Foundation

/// Alerts: the loud messages of a security tool that failed (rolled back, undo failed, revoke stalled, blocked,
/// lease lost, compliance overdue, a message given up) and the emergency and lifecycle messages, as outbox rows.
///
/// Each is enqueued in the transaction that records what it reports, so a crash cannot lose it, and under a
/// dedupe key made of the rotation (or secret) and the event, so it goes out once however many daemons run.
/// Every row carries the structured ``AlertEvent`` (JSON) from which Slack blocks and webhook bodies are
/// built at send time; texts name versions by fingerprint and last 4, never by value.
public enum Alerts {
    /// Enqueues `event` once per channel under `dedupe`; returns how many rows were new.
    @discardableResult
    public static func enqueue(_ event: AlertEvent, channels: [String], dedupe: String,
                               into tx: any NotificationsTransaction) throws -> Int {
        let subject = (event.reminder ? "Reminder: " : "") + headline(event)
        var added = 0
        for var row in Notices.make(kind: event.type.kind, secret: event.secret ?? "rotor", channels: channels,
                                    urgent: event.type.isUrgent, subject: subject, body: event.text, dedupe: dedupe, at: event.at) {
            row.secretName = event.secret
            row.event = event.json()
            if try tx.enqueueNotification(row) { added += 1 }
        }
        return added
    }

    /// The dedupe key of the first alert of `type` about `rotationID`; reminders extend it.
    public static func dedupeKey(rotationID: String, _ type: AlertType) -> String {
        "alert:\(rotationID):\(type.kind)"
    }

    /// A process lost its lease on `rotation` in the middle of a step: `holder` took it over (or the lease
    /// expired). For the runner's fencing: call it in its own transaction, as the rotation's write was refused.
    @discardableResult
    public static func leaseLost(_ tx: any NotificationsTransaction, rotation: RotationRecord, holder: String, step: String? = nil,
                                 audience: AlertAudience, at now: Date) throws -> Int {
        let event = AlertEvent(
            type: .leaseLost, secret: rotation.secretName, state: rotation.state.rawValue, rotationID: rotation.id,
            summary: "Rotation \(rotation.id) of \(rotation.secretName) lost its lease\(step.map { " during \($0)" } ?? "") "
                + "to \(holder) while it was \(rotation.state.rawValue).",
            done: "this process stopped writing to it at once (its writes are fenced); the holder of the lease, or the next "
                + "`rotor tick` once that lease expires, resumes it from the journal",
            fix: "rotor status \(rotation.secretName) — if no process is working on it, `rotor tick` resumes it", at: now)
        return try enqueue(event, channels: audience.channels(for: .leaseLost),
                           dedupe: "\(dedupeKey(rotationID: rotation.id, .leaseLost)):\(Int(now.timeIntervalSince1970))",
                           into: tx)
    }

    /// `rotation` made no progress since `since`, longer than `stepTimeout`, and no process holds its lease. Once per
    /// state the rotation is stuck in; reminders follow (``AlertReminders``) while it stays stuck.
    @discardableResult
    public static func stuck(_ tx: any NotificationsTransaction, rotation: RotationRecord, since: Date, stepTimeout: Duration,
                             lastStep: String?, audience: AlertAudience, at now: Date) throws -> Int {
        let secret = rotation.secretName
        let event = AlertEvent(
            type: .stuck, secret: secret, state: rotation.state.rawValue, rotationID: rotation.id,
            summary: "Rotation \(rotation.id) of \(secret) is stuck: no progress since \(ISO8601.string(since)) while it was "
                + "\(rotation.state.rawValue)\(lastStep.map { " (\($0))" } ?? ""), longer than its step_timeout of "
                + "\(DurationText.format(stepTimeout)).",
            done: "nothing more could be done: no process holds its lease, and every pass of `rotor tick` or the daemon tries "
                + "to resume it from its journal",
            fix: "`rotor history \(secret)` shows where it stopped; fix the cause and run `rotor tick` to resume it",
            at: now)
        return try enqueue(event, channels: audience.channels(for: .stuck), dedupe: stuckKey(rotation), into: tx)
    }

    /// The dedupe key of the stuck alert of `rotation` in its current state; reminders extend it.
    static func stuckKey(_ rotation: RotationRecord) -> String {
        "\(dedupeKey(rotationID: rotation.id, .stuck)):\(rotation.state.rawValue)"
    }

    /// A request to rotate (or roll back) `secret` was refused because rotation `blocking` holds it.
    @discardableResult
    public static func blocked(_ tx: any NotificationsTransaction, secret: String, blocking: RotationRecord, request: String,
                               audience: AlertAudience, at now: Date) throws -> Int {
        let holder = blocking.leaseOwner.map { " held by \($0)" + (blocking.leaseExpiresAt.map { " until \(ISO8601.string($0))" } ?? "") } ?? ""
        let event = AlertEvent(
            type: .blocked, secret: secret, state: blocking.state.rawValue, rotationID: blocking.id,
            summary: "\(request) of \(secret) was refused: rotation \(blocking.id) is \(blocking.state.rawValue)\(holder).",
            done: "nothing: Rotor never runs two rotations of one secret; the active one goes on",
            fix: blocking.state == .grace
                ? "wait for its grace to end, or run `rotor rollback \(secret)` to undo it"
                : "rotor status \(secret) — once it finishes (or its process is gone) run the request again",
            at: now)
        return try enqueue(event, channels: audience.channels(for: .blocked),
                           dedupe: dedupeKey(rotationID: blocking.id, .blocked), into: tx)
    }

    /// `secret`'s current key is past its policy's `max_age`; at most one alert per secret per UTC day.
    @discardableResult
    public static func complianceOverdue(_ tx: any NotificationsTransaction, secret: String, ageDays: Double, maxAgeDays: Double,
                                         audience: AlertAudience, at now: Date) throws -> Int {
        let day = String(ISO8601.string(now).prefix(10))
        let event = AlertEvent(
            type: .complianceOverdue, secret: secret, state: "overdue",
            summary: "\(secret)'s current key is \(Self.days(ageDays)) old, past its max_age of \(Self.days(maxAgeDays)).",
            done: "the scheduler forces a rotation once it can (outside skips and windows); until one succeeds this repeats daily",
            fix: "rotor rotate \(secret)", at: now)
        return try enqueue(event, channels: audience.channels(for: .complianceOverdue),
                           dedupe: "alert:compliance:\(secret):\(day)", into: tx)
    }

    /// The outbox gave up on `row`; tells the alert channels other than the one that failed. A given-up alert
    /// about a given-up alert is not sent, so two broken channels cannot keep each other busy.
    @discardableResult
    public static func notificationGivenUp(_ tx: any NotificationsTransaction, row: NotificationRecord, error: String,
                                           alerts: AlertsConfig, at now: Date) throws -> Int {
        guard row.kind != AlertType.notificationGivenUp.kind else { return 0 }
        let channels = alerts.channels.filter { $0 != row.channel }
        let event = AlertEvent(
            type: .notificationGivenUp, secret: row.secretName, state: "failed",
            summary: "A \(row.kind) message (\"\(row.subject)\") could not be delivered to channel \(row.channel).",
            done: "it tried \(row.attempts) time\(row.attempts == 1 ? "" : "s") and gave up: \(error)",
            fix: "check channel '\(row.channel)' in rotor.yml and its credential; `rotor doctor` tests the configuration",
            at: now)
        return try enqueue(event, channels: channels, dedupe: "alert:given_up:\(row.id)", into: tx)
    }

    // MARK: Text

    /// `openai-api-key: rotation rolled back`.
    static func headline(_ event: AlertEvent) -> String {
        let what: String = switch event.type {
        case .rolledBack: "rotation failed and was rolled back"
        case .failed: "rotation FAILED, rollback incomplete"
        case .revokeStalled: "old key not revoked (revoke stalled)"
        case .blocked: "rotation blocked by another rotation"
        case .leaseLost: "rotation lost its lease mid-step"
        case .stuck: "rotation stuck past its step_timeout"
        case .emergencyStarted: "EMERGENCY rotation started"
        case .emergencyFinished: "emergency rotation finished"
        case .complianceOverdue: "key older than its max_age"
        case .notificationGivenUp: "a notification was given up"
        case .started: "rotation started"
        case .progress: "rotation in progress"
        case .completed: "rotated, new key live"
        case .revoked: "old key revoked"
        }
        return "\(event.secret ?? "rotor"): \(what)"
    }

    static func days(_ days: Double) -> String {
        days == days.rounded() ? "\(Int(days)) days" : String(format: "%.1f days", days)
    }
}
