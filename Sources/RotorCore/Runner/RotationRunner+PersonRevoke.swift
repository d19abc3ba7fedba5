import Foundation

extension RotationRunner {
    /// The old value of a manual source's rotation is not known to be revoked yet (``RevokePending``): the rotation
    /// stays in `revoking`, gives its lease up (a person's confirmation may come from another process), and the owner
    /// is asked once (``RevokeRequest``); ``PersonRequestReminders`` reminds and escalates, and every pass runs the
    /// `revoke_check` again (at most every ``PersonRequest/revokeCheckInterval``).
    func waitForPersonRevoke(machine: RotationMachine, record: RotationRecord, lease: RotationLease, playbook: Playbook,
                             reason: String) async throws -> RotationRecord {
        let alerting = RotationAlerts(playbook: playbook, alerts: configuration.alerts)
        let waiting = try await persist(machine: machine, record: record, lease: lease,
                                        error: "waiting for the old value to be revoked: \(reason)", done: true, alerting: alerting)
        let now = clock.now
        do {
            try await store.transaction { tx in
                let old = try waiting.oldVersionID.flatMap { try tx.version(id: $0) }.map(SecretVersionSummary.init)
                try RevokeRequest.enqueue(tx, playbook: playbook, rotation: waiting, old: old, reason: reason, at: now)
            }
        } catch {
            // The next pass asks again (the request is deduplicated): a lost request only delays it.
            logger.error("could not enqueue the revoke request", metadata: ["rotation": "\(record.id)", "error": "\(error)"])
        }
        let confirm = "`rotor resolve \(playbook.secret) --revoked-manually --reason …`"
        observer(.finished(.revoking, message: "old value not known to be revoked yet (\(reason)); the owner is asked to revoke "
                           + "it at the vendor" + (playbook.hasRevokeCheck ? "; every pass checks again, and \(confirm) checks now"
                                                   : " and confirm with \(confirm)")))
        return waiting
    }

    /// Audits a person's word that the old value is revoked (or expired) at the vendor; the `revoke_check` that
    /// follows decides. Only a rotation in `revoking` can be confirmed.
    func recordRevokeConfirmation(_ record: RotationRecord, actor: String, reason: String) async throws {
        guard record.state == .revoking else {
            throw RecoveryError.nothingToResolve(secret: record.secretName, rotationID: record.id, state: record.state)
        }
        let now = clock.now
        try await store.transaction { tx in
            let old = try record.oldVersionID.flatMap { try tx.version(id: $0) }
            try tx.appendAudit(AuditEvent(at: now, subject: record.secretName, subjectKind: "secret", action: "revoke.confirmed",
                                          oldFingerprint: old?.fingerprint, oldLast4: old?.last4,
                                          trigger: record.trigger.rawValue, actor: actor, reason: reason,
                                          outcome: "checking", rotationID: record.id,
                                          detail: "the revoke_check runs now and decides"))
        }
    }
}
