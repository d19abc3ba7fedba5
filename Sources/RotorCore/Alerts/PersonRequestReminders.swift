import Foundation

/// Reminds people of what rotations wait on them for (``PersonRequest``), and escalates: the owner (the playbook's
/// channels) once a day after the request; from the deadline on, once a day, an urgent alert to the playbook's channels
/// AND rotor.yml's `alerts:` (on-call), while `rotor compliance` counts the secret `overdue`. Each message goes out once
/// per rotation per day (its dedupe key names the day, so several daemons send it once) and is audited.
public struct PersonRequestReminders: MaintenanceTask {
    let store: any Store
    let playbooks: [String: Playbook]
    let alerts: AlertsConfig

    public init(store: any Store, playbooks: [Playbook], alerts: AlertsConfig) {
        self.store = store
        self.playbooks = Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
        self.alerts = alerts
    }

    /// What is due about `request` at `now`: nothing on the day it was asked, then a reminder per day, and from the
    /// deadline an escalation per day; `key` is the message's dedupe key.
    public static func due(_ request: PersonRequest, at now: Date) -> (escalated: Bool, day: Int, key: String)? {
        let base = "person:\(request.kind.rawValue):\(request.rotation.id)"
        if now >= request.deadline {
            let day = Int(now.timeIntervalSince(request.deadline) / 86_400)
            return (true, day, "\(base):overdue\(day)")
        }
        let day = Int(now.timeIntervalSince(request.askedAt) / 86_400)
        return day >= 1 ? (false, day, "\(base):day\(day)") : nil
    }

    public func tick(now: Date) async -> [TickItem] {
        do {
            return try await store.transaction { tx in
                var items: [TickItem] = []
                for rotation in try tx.activeRotations() {
                    guard let playbook = playbooks[rotation.secretName],
                          let request = PersonRequest.of(rotation, playbook: playbook),
                          let item = try remind(tx, request, playbook: playbook, now: now) else { continue }
                    items.append(item)
                }
                return items
            }
        } catch {
            return [TickItem(subject: "alerts", action: "error", message: "person request reminders: \(error)")]
        }
    }

    private func remind(_ tx: any StoreTransaction, _ request: PersonRequest, playbook: Playbook, now: Date) throws -> TickItem? {
        guard let (escalated, day, key) = Self.due(request, at: now) else { return nil }
        let secret = playbook.secret
        let channels = escalated ? unique(playbook.notify + alerts.channels) : playbook.notify
        let owner = playbook.owner.map { " of \($0)" } ?? ""
        let subject = escalated
            ? "\(secret): \(request.kind.asked) is past its deadline (\(ISO8601.string(request.deadline)))"
            : "Reminder: \(secret) still needs \(request.kind.asked) by \(ISO8601.string(request.deadline))"
        var lines = escalated
            ? ["\(secret) was waiting for \(request.kind.asked) since \(ISO8601.string(request.askedAt)) (rotation "
               + "\(request.rotation.id)); the deadline \(ISO8601.string(request.deadline)) has passed.",
               "\(secret) counts as overdue in `rotor compliance` until it is done. This repeats daily; please ask the owner\(owner)."]
            : ["\(secret) still needs \(request.kind.asked) (rotation \(request.rotation.id), asked at "
               + "\(ISO8601.string(request.askedAt))). Deadline: \(ISO8601.string(request.deadline)); after it on-call is alerted."]
        lines += [""] + request.howTo(playbook)
        var enqueued = false
        for notice in Notices.make(kind: escalated ? "request-overdue" : "request-reminder", secret: secret, channels: channels,
                                   urgent: escalated, subject: subject, body: lines.joined(separator: "\n"), dedupe: key, at: now) {
            enqueued = try tx.enqueueNotification(notice) || enqueued
        }
        guard enqueued else { return nil }
        let action = escalated ? "request.escalated" : "request.reminded"
        try tx.appendAudit(AuditEvent(at: now, subject: secret, subjectKind: "secret", action: action,
                                      trigger: request.rotation.trigger.rawValue, actor: "scheduler", outcome: "sent",
                                      rotationID: request.rotation.id,
                                      detail: "\(request.kind.rawValue) request, \(escalated ? "day \(day) past the deadline" : "day \(day)")"
                                        + " to \(channels.joined(separator: ", "))"))
        return TickItem(subject: secret, rotationID: request.rotation.id, action: escalated ? "escalated" : "reminded",
                        state: request.rotation.state.rawValue,
                        message: "\(request.kind.rawValue) request \(escalated ? "past its deadline" : "reminder, day \(day)") "
                            + "to \(channels.joined(separator: ", "))")
    }

    private func unique(_ channels: [String]) -> [String] {
        var seen = Set<String>()
        return channels.filter { seen.insert($0).inserted }
    }
}
