import Foundation

/// The request to a person to approve the next stage of a staged rotation (`approve: true`), sent when the rotation
/// starts waiting in `awaiting_approval`: a one-time approval link (`/a/{token}` on `rotor serve`, a reply token bound
/// to the rotation and the stage) and `rotor approve SECRET`.
public enum ApprovalRequest {
    /// How long an approval link stays usable. A later `rotor approve` works as long as the rotation waits.
    public static let linkLifetime: Duration = .seconds(7 * 86_400)

    /// The reply-token action of an approval link: what binds the link to rotation `rotationID` and its stage `stage`.
    public static func action(rotationID: String, stage: Int) -> String { "approve:\(rotationID):\(stage)" }

    /// The rotation and stage an approval link's action is bound to; nil for any other action.
    public static func binding(ofAction action: String) -> (rotationID: String, stage: Int)? {
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "approve", !parts[1].isEmpty, let stage = Int(parts[2]), stage >= 0 else { return nil }
        return (String(parts[1]), stage)
    }

    /// Issues the link's token and enqueues the request to the playbook's channels (the link sealed until sent),
    /// inside the transaction that puts the rotation in `awaiting_approval`.
    static func enqueue(_ tx: any StoreTransaction, playbook: Playbook, rotation: RotationRecord, stage: Int, tokens: ReplyTokens,
                        publicURL: String?, at now: Date) throws {
        let secret = playbook.secret
        let stages = playbook.stagePlan
        guard stages.indices.contains(stage) else { return }
        let expires = now.addingTimeInterval(linkLifetime.timeInterval)
        let token = try tokens.issue(tx, secret: secret, action: action(rotationID: rotation.id, stage: stage), code: nil,
                                     expires: expires, at: now)
        var lines = [
            "\(secret) waits for your approval before stage \(stages[stage].name) (rotation \(rotation.id)).",
            "",
            ApprovalRequest.summary(playbook, stage: stage),
            "",
            "Approve by \(ISO8601.string(expires)):",
        ]
        if let publicURL { lines.append("  • open \(publicURL)/a/\(try tokens.sealed(token)) (works once)") }
        lines.append("  • or run: rotor approve \(secret)")
        lines.append("To stop instead: rotor resolve \(secret) --cancel --reason \"…\" (every stage already written gets the previous value back).")
        let notices = Notices.make(kind: "approval-request", secret: secret, channels: playbook.notify, urgent: false,
                                   subject: "\(secret): approve stage \(stages[stage].name)?",
                                   body: lines.joined(separator: "\n"), dedupe: "approve:\(rotation.id):\(stage)", at: now)
        for notice in notices { try tx.enqueueNotification(notice) }
        try tx.appendAudit(AuditEvent(at: now, subject: secret, subjectKind: "secret", action: "approval.requested",
                                      trigger: rotation.trigger.rawValue, actor: rotation.actor, outcome: "requested",
                                      rotationID: rotation.id,
                                      detail: "stage \(stages[stage].name) to \(playbook.notify.joined(separator: ", ")); "
                                        + "link expires \(ISO8601.string(expires))"))
    }

    /// What approving `stage` does, in words: the stages done, the targets it writes and the checks that follow.
    public static func summary(_ playbook: Playbook, stage: Int) -> String {
        let stages = playbook.stagePlan
        guard stages.indices.contains(stage) else { return "" }
        let this = stages[stage]
        let done = stages[..<stage].map(\.name)
        let targets = this.targets.map { playbook.targets[$0].label }
        let checks = this.checks.map { playbook.checks[$0].label }
        var text = done.isEmpty ? "" : "Done and verified: \(done.joined(separator: ", ")). "
        text += "Approving writes the new value to \(targets.joined(separator: ", "))"
        text += checks.isEmpty ? "." : ", then checks \(checks.joined(separator: ", "))."
        if stage + 1 < stages.count { text += " Later stages: \(stages[(stage + 1)...].map(\.name).joined(separator: ", "))." }
        text += " The old value stays valid until grace ends; a failure rolls every stage back."
        return text
    }
}
