import Foundation

extension RotationRunner {
    /// Records that a person revoked the old credential by hand (its revoke at the source kept failing): the
    /// revoke step succeeds in the journal, the old version is labelled `revoked`, and the audit log names the
    /// person and why, in one transaction. Only a rotation stalled in `revoking` can be resolved this way.
    func recordManualRevoke(_ record: RotationRecord, actor: String, reason: String) async throws {
        guard record.state == .revoking else {
            throw RecoveryError.nothingToResolve(secret: record.secretName, rotationID: record.id, state: record.state)
        }
        let now = clock.now
        try await store.transaction { tx in
            let old = try record.oldVersionID.flatMap { try tx.version(id: $0) }
            if var version = old, version.label != .revoked {
                version.label = .revoked
                version.revokedAt = now
                try tx.updateVersion(version)
            }
            try tx.appendJournal(rotationID: record.id, step: RotationStep.revokeOld.key, phase: .succeeded,
                                 detail: "revoked by hand (\(actor))", at: now)
            try tx.appendAudit(AuditEvent(at: now, subject: record.secretName, subjectKind: "secret", action: "step.revoke",
                                          oldFingerprint: old?.fingerprint, oldLast4: old?.last4,
                                          trigger: record.trigger.rawValue, actor: actor, reason: reason,
                                          outcome: "revoked-manually", rotationID: record.id))
        }
    }
}
