import Foundation
import RotorCrypto

/// Everything a ``StepEffect`` works with: the rotation, its opened versions, the providers, and the store
/// to journal the step's success in.
struct StepRun: Sendable {
    let step: RotationStep
    /// The rotation row as the runner last persisted it.
    let record: RotationRecord
    /// The lease every store write of the step is fenced by.
    let lease: RotationLease
    let values: StepValues
    let providers: ResolvedProviders
    /// What the providers learn about the step.
    let context: StepContext
    let graceSeconds: Int64
    let store: any Store
    let sealer: Sealer
    let clock: any RotorClock
    let fault: FaultPlan?
    /// The lifecycle messages a step's success raises (a target going live).
    var alerting: RotationAlerts?

    var rotationID: String { record.id }
    var secret: String { record.secretName }
    var now: Date { clock.now }

    /// The version this rotation minted; every step between generate and promote needs it.
    func newVersion() throws -> StepValues.Loaded {
        guard let new = values.new else { throw RunnerError.missingVersion("new", rotationID) }
        return new
    }

    /// Journals the step's success after its effect, together with `change` to the store and `audit`, in one
    /// transaction, if this process still holds the lease (else ``RunnerError/Code/leaseLost``). The fault plan's
    /// `crash-after-effect` and `crash-after` points are on either side of it.
    func succeed(_ change: (@Sendable (any StoreTransaction) throws -> Void)? = nil, audit: AuditEvent? = nil) async throws {
        try fault?.trip(.crashAfterEffect, step)
        let rotationID = rotationID
        let key = step.key
        let clock = clock
        let lease = lease
        do {
            try await store.transaction { tx in
                try tx.requireLease(lease)
                try change?(tx)
                try tx.appendJournal(rotationID: rotationID, step: key, phase: .succeeded, detail: nil, at: clock.now)
                if let audit { try tx.appendAudit(audit) }
            }
        } catch let error as StoreError where error.code == .leaseLost {
            throw RunnerError.leaseLost(rotationID: rotationID, owner: "another process")
        }
        try fault?.trip(.crashAfter, step)
    }

    /// The audit row of a successful step; versions appear by fingerprint and last 4 only.
    func audit(_ action: String, new: SecretVersionSummary? = nil, old: SecretVersionSummary? = nil,
               detail: String? = nil) -> AuditEvent {
        AuditEvent(at: now, subject: secret, subjectKind: "secret", action: action,
                   oldFingerprint: old?.fingerprint, oldLast4: old?.last4,
                   newFingerprint: new?.fingerprint, newLast4: new?.last4,
                   trigger: record.trigger.rawValue, actor: record.actor, reason: record.reason,
                   outcome: "succeeded", rotationID: rotationID, detail: detail)
    }
}

extension RevokeOutcome {
    /// The audit row's detail: says when the source had revoked the credential already.
    var auditDetail: String? { self == .alreadyRevoked ? "already revoked" : nil }
}
