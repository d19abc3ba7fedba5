import Foundation

/// The request to a person at the end of a `manual` source's grace: revoke the old value in the vendor's dashboard (or
/// confirm that the expiry set there has passed). Rotor does not call the rotation complete until the `revoke_check`
/// proves the old value dead, or, without one, until a person confirms with `rotor resolve --revoked-manually`.
public enum RevokeRequest {
    /// What the owner does, and how Rotor learns it is done.
    static func howTo(_ playbook: Playbook) -> [String] {
        let secret = playbook.secret
        var lines = [playbook.source.string("revoke_instructions")
            ?? "Revoke the old key in the vendor's dashboard, or make sure the expiry you set there when you rolled it has passed."]
        if playbook.hasRevokeCheck {
            lines.append("Rotor runs the playbook's revoke_check with the old value every few minutes and completes the "
                         + "rotation by itself once the vendor refuses it.")
            lines.append("To have it checked now: rotor resolve \(secret) --revoked-manually --reason \"…\"")
        } else {
            lines.append("Then confirm: rotor resolve \(secret) --revoked-manually --reason \"how and where it was revoked\"")
        }
        return lines
    }

    /// Enqueues the request to the playbook's channels, once per rotation (however often the revoke stalls), and
    /// audits it. `reason` says why the old value is not known to be revoked (never quoting it).
    static func enqueue(_ tx: any StoreTransaction, playbook: Playbook, rotation: RotationRecord, old: SecretVersionSummary?,
                        reason: String, at now: Date) throws {
        let secret = playbook.secret
        guard let request = PersonRequest.of(rotation, playbook: playbook) else { return }
        var lines = [
            "The new value of \(secret) is live everywhere and its grace period ended (rotation \(rotation.id)).",
            "Rotor does not call the rotation complete until the OLD value\(old.map { " (\($0.display))" } ?? "") is revoked: \(reason).",
            "",
        ]
        lines += howTo(playbook)
        lines += ["", "Please do it by \(ISO8601.string(request.deadline)); after that on-call is alerted and \(secret) counts as overdue."]
        var enqueued = false
        for notice in Notices.make(kind: "revoke-request", secret: secret, channels: playbook.notify, urgent: false,
                                   subject: "\(secret): revoke the old value by \(ISO8601.string(request.deadline))",
                                   body: lines.joined(separator: "\n"), dedupe: "revoke:\(rotation.id)", at: now) {
            enqueued = try tx.enqueueNotification(notice) || enqueued
        }
        guard enqueued || playbook.notify.isEmpty else { return }
        if playbook.notify.isEmpty, try tx.auditEvents(since: request.askedAt, until: nil, subject: secret, limit: 1_000)
            .contains(where: { $0.action == "revoke.requested" && $0.rotationID == rotation.id }) { return }
        try tx.appendAudit(AuditEvent(at: now, subject: secret, subjectKind: "secret", action: "revoke.requested",
                                      oldFingerprint: old?.fingerprint, oldLast4: old?.last4, trigger: rotation.trigger.rawValue,
                                      actor: "rotor", outcome: "requested", rotationID: rotation.id,
                                      detail: "to \(playbook.notify.joined(separator: ", ")); deadline \(ISO8601.string(request.deadline))"))
    }
}
