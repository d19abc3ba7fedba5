import Foundation

extension RotationRunner {
    /// Writes the machine's state to the rotation row (renewing the lease) and audits state changes; enqueues the
    /// alerts they call for (`alerting`) in the same transaction, so a crash cannot lose one. The write is fenced
    /// by `lease`: a process that lost it gets ``RunnerError/Code/leaseLost`` and writes nothing more (``run``
    /// alerts that). With `done`, the runner stops working on the rotation and gives the lease up unless it is
    /// still in progress.
    func persist(machine: RotationMachine, record: RotationRecord, lease: RotationLease, error: String? = nil,
                 done: Bool = false, alerting: RotationAlerts? = nil) async throws -> RotationRecord {
        try await persistTransaction(machine: machine, record: record, lease: lease, reason: error ?? machine.failureReason,
                                     done: done, alerting: alerting)
    }

    private func persistTransaction(machine: RotationMachine, record: RotationRecord, lease: RotationLease, reason: String?,
                                    done: Bool, alerting: RotationAlerts?) async throws -> RotationRecord {
        let now = clock.now
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let state = machine.state
        return try await fenced(lease) { tx in
            guard var current = try tx.rotation(id: record.id) else { throw RunnerError.unknownRotation(record.id) }
            let previous = current.state
            let changed = previous != state
            // Nobody works on a rotation waiting out its grace or for a person (its value, or the old one's revoke),
            // or on a finished one.
            let keepsLease = !done || (state.isActive && state != .grace && state != .awaitingValue && state != .revoking)
            let completedAt = !state.isActive && current.completedAt == nil ? now : nil
            try tx.updateRotation(lease, RotationChange(state: state, error: .some(reason),
                                                        lease: keepsLease ? .renew(until: until) : .release,
                                                        updatedAt: now, completedAt: completedAt))
            current.state = state
            current.error = reason
            current.updatedAt = now
            current.leaseOwner = keepsLease ? lease.owner : nil
            current.leaseExpiresAt = keepsLease ? until : nil
            if let completedAt { current.completedAt = completedAt }
            let old = try current.oldVersionID.flatMap { try tx.version(id: $0) }
            let new = try current.newVersionID.flatMap { try tx.version(id: $0) }
            if changed {
                try tx.appendAudit(AuditEvent(at: now, subject: current.secretName, subjectKind: "secret",
                                              action: "rotation.\(state.rawValue)", oldFingerprint: old?.fingerprint,
                                              oldLast4: old?.last4, newFingerprint: new?.fingerprint, newLast4: new?.last4,
                                              trigger: current.trigger.rawValue, actor: current.actor,
                                              reason: state == .rolledBack || state == .failed ? reason : current.reason,
                                              outcome: state.rawValue, rotationID: current.id))
            }
            try alerting?.enqueue(tx, rotation: current, previous: previous, old: old.map(SecretVersionSummary.init),
                                  new: new.map(SecretVersionSummary.init), at: now)
            return current
        }
    }

    // MARK: Results

    /// The rotation as it stands, with its versions summarised (never their values).
    public func outcome(for rotationID: String) async throws -> RotationOutcome {
        try await store.transaction { tx in
            guard let rotation = try tx.rotation(id: rotationID) else { throw RunnerError.unknownRotation(rotationID) }
            let old = try rotation.oldVersionID.flatMap { try tx.version(id: $0) }
            let new = try rotation.newVersionID.flatMap { try tx.version(id: $0) }
            return RotationOutcome(rotation: rotation, oldVersion: old.map(SecretVersionSummary.init),
                                   newVersion: new.map(SecretVersionSummary.init),
                                   journal: try tx.journal(rotationID: rotationID))
        }
    }
}
