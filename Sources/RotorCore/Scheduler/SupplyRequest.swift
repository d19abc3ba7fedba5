import Foundation

/// The request to a person for a `manual` source's new value, sent when its rotation starts waiting: a one-time
/// supply link (`/s/{token}` on `rotor serve`, a reply token bound to the rotation) and `rotor supply SECRET`.
public enum SupplyRequest {
    /// The reply-token action of a supply link for rotation `rotationID`: what binds the link to it.
    public static func action(rotationID: String) -> String { "supply:\(rotationID)" }

    /// The rotation a supply link's action is bound to; nil for any other action.
    public static func rotationID(ofAction action: String) -> String? {
        action.hasPrefix("supply:") ? String(action.dropFirst("supply:".count)) : nil
    }

    /// When the link of a request made at `now` expires: the playbook's `deadline` after the due date. The
    /// scheduler asks `request_before` the due date; `rotor rotate` and emergencies are due at once.
    public static func expiry(_ playbook: Playbook, trigger: RotationTrigger, at now: Date) -> Date {
        let deadline = playbook.source.duration("deadline") ?? .seconds(7 * 86_400)
        let lead = trigger == .schedule || trigger == .compliance ? playbook.requestLead : .zero
        return now.addingTimeInterval((lead + deadline).timeInterval)
    }

    /// Issues the link's token and enqueues the request to the playbook's channels (the link sealed until sent),
    /// inside the transaction that starts the rotation.
    static func enqueue(_ tx: any StoreTransaction, playbook: Playbook, rotation: RotationRecord, tokens: ReplyTokens,
                        publicURL: String?, at now: Date) throws {
        let secret = playbook.secret
        let expires = expiry(playbook, trigger: rotation.trigger, at: now)
        let token = try tokens.issue(tx, secret: secret, action: action(rotationID: rotation.id), code: nil, expires: expires, at: now)
        var lines = [
            "\(secret) needs a new value from you (rotation \(rotation.id)).",
            "",
            playbook.source.string("instructions") ?? "",
            "",
            "Hand it over by \(ISO8601.string(expires)):",
        ]
        if let publicURL { lines.append("  • open \(publicURL)/s/\(try tokens.sealed(token)) (works once)") }
        lines.append("  • or run: rotor supply \(secret) < new-key.txt")
        lines.append("Rotor checks the value, then writes it to every target, verifies, and keeps the old one valid through grace.")
        if rotation.trigger == .schedule || rotation.trigger == .compliance {
            lines.append("To postpone this request: rotor skip \(secret) --reason \"…\" (it is asked again before the new date).")
        }
        let notices = Notices.make(kind: "supply-request", secret: secret, channels: playbook.notify, urgent: false,
                                   subject: "\(secret) needs a new value by \(ISO8601.string(expires))",
                                   body: lines.joined(separator: "\n"), dedupe: "supply:\(rotation.id)", at: now)
        for notice in notices { try tx.enqueueNotification(notice) }
        try tx.appendAudit(AuditEvent(at: now, subject: secret, subjectKind: "secret", action: "supply.requested",
                                      trigger: rotation.trigger.rawValue, actor: rotation.actor, outcome: "requested",
                                      rotationID: rotation.id,
                                      detail: "to \(playbook.notify.joined(separator: ", ")); link expires \(ISO8601.string(expires))"))
    }
}
