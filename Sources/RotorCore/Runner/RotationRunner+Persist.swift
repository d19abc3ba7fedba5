import Foundation

extension RotationRunner {
    /// Writes the machine's state to the rotation row (renewing the lease) and audits state changes; enqueues the
    /// alerts they call for (`alerting`) in the same transaction, so a crash cannot lose one.
    func persist(machine: RotationMachine, record: RotationRecord, error: String? = nil,
                 alerting: RotationAlerts? = nil) async throws -> RotationRecord {
        let reason = error ?? machine.failureReason
        do {
            return try await persistTransaction(machine: machine, record: record, reason: reason, alerting: alerting)
        } catch let error as RunnerError where error.code == .leaseLost {
            // The refused write rolled back; the alert needs a transaction of its own.
            let now = clock.now
            if let alerting {
                let holder = try? await store.transaction { try $0.rotation(id: record.id)?.leaseOwner }
                _ = try? await store.transaction { tx in
                    try Alerts.leaseLost(tx, rotation: record, holder: (holder ?? nil) ?? "another process",
                                         audience: alerting.audience, at: now)
                }
            }
            throw error
        }
    }

    private func persistTransaction(machine: RotationMachine, record: RotationRecord, reason: String?,
                                    alerting: RotationAlerts?) async throws -> RotationRecord {
        let now = clock.now
        let owner = configuration.owner
        let until = now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        let state = machine.state
        return try await store.transaction { tx in
            guard var current = try tx.rotation(id: record.id) else { throw RunnerError.unknownRotation(record.id) }
            guard current.leaseOwner == owner || current.leaseOwner == nil || !current.state.isActive
                    || current.state == .grace else {
                throw RunnerError.leaseLost(rotationID: record.id, owner: current.leaseOwner ?? "?")
            }
            let previous = current.state
            let changed = previous != state
            current.state = state
            current.error = reason
            current.updatedAt = now
            if state.isActive && state != .grace {
                current.leaseOwner = owner
                current.leaseExpiresAt = until
            } else {
                // Nobody works on a rotation waiting out its grace, or on a finished one.
                current.leaseOwner = nil
                current.leaseExpiresAt = nil
            }
            if !state.isActive, current.completedAt == nil { current.completedAt = now }
            try tx.updateRotation(current)
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
