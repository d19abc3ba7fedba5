import Foundation

extension RotationRunner {
    /// The machine's plan for `playbook`: its targets and checks, in its stages.
    static func plan(for playbook: Playbook, revokeImmediately: Bool) -> RotationMachine.Plan {
        RotationMachine.Plan(targets: playbook.targets.count, checks: playbook.checks.count, revokeImmediately: revokeImmediately,
                             awaitsValue: playbook.awaitsValue,
                             stages: playbook.stagePlan.map { .init(targets: $0.targets, checks: $0.checks, approve: $0.approve) })
    }

    /// Journals and audits a person's approval of `stage` of a rotation waiting in `awaiting_approval`, in one
    /// transaction: the journal entry is what a resumed machine reads, the audit row names who approved.
    func recordApproval(_ record: RotationRecord, stage: Int, stageName: String, actor: String) async throws {
        let now = clock.now
        try await store.transaction { tx in
            // Re-read under the transaction: of two approvals racing, the second finds the rotation moved on.
            let current = try tx.rotation(id: record.id)
            guard current?.state == .awaitingApproval,
                  !(try tx.journal(rotationID: record.id).contains { $0.step == RotationMachine.approvalKey(stage: stage) }) else {
                throw ApprovalError.notWaiting(secret: record.secretName, state: current?.state)
            }
            try tx.appendJournal(rotationID: record.id, step: RotationMachine.approvalKey(stage: stage), phase: .succeeded,
                                 detail: "approved by \(actor)", at: now)
            try tx.appendAudit(AuditEvent(at: now, subject: record.secretName, subjectKind: "secret", action: "stage.approved",
                                          trigger: record.trigger.rawValue, actor: actor, outcome: "approved",
                                          rotationID: record.id, detail: "stage \(stageName)"))
        }
    }

    /// Issues the approval request of the stage `machine` waits before, once per rotation and stage: called inside the
    /// transaction that persists `awaiting_approval`, which journals it as `request:approve:N` (a resumed wait, or a
    /// persist repeated after a crash, finds it there and asks no one twice).
    func approvalRequest(_ machine: RotationMachine, playbook: Playbook,
                         tokens: ReplyTokens) -> @Sendable (any StoreTransaction, RotationRecord, Date) throws -> Void {
        let stage = machine.liveStage ?? 0
        let publicURL = configuration.publicURL
        let key = "request:" + RotationMachine.approvalKey(stage: stage)
        return { tx, rotation, now in
            guard rotation.state == .awaitingApproval, !(try tx.journal(rotationID: rotation.id).contains { $0.step == key }) else { return }
            try ApprovalRequest.enqueue(tx, playbook: playbook, rotation: rotation, stage: stage, tokens: tokens,
                                        publicURL: publicURL, at: now)
            try tx.appendJournal(rotationID: rotation.id, step: key, phase: .succeeded,
                                 detail: "approval of stage \(playbook.stagePlan[min(stage, playbook.stagePlan.count - 1)].name) requested", at: now)
        }
    }
}
