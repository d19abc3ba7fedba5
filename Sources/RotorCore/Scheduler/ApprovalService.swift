import Foundation
import Logging

/// Approves the next stage of a rotation waiting in `awaiting_approval`, for `rotor approve`, the approval link and
/// (later) a chat button alike: the approval is journaled and audited with who gave it, then the rotation goes on
/// in this process: the stage's targets are written and verified, then later stages, then grace as usual.
public struct ApprovalService: Sendable {
    let store: any Store
    let runner: RotationRunner
    let clock: any RotorClock
    let logger: Logger

    public init(store: any Store, runner: RotationRunner, clock: any RotorClock, logger: Logger) {
        self.store = store
        self.runner = runner
        self.clock = clock
        self.logger = logger
    }

    /// A rotation waiting for approval, and the stage it waits before.
    public struct Waiting: Sendable {
        public var rotation: RotationRecord
        /// Index into the playbook's ``Playbook/stagePlan``.
        public var stage: Int
        public var stageName: String
    }

    /// The rotation of `playbook`'s secret that waits for an approval; throws ``ApprovalError`` when there is none.
    public func waiting(_ playbook: Playbook) async throws -> Waiting {
        let (active, journal) = try await store.transaction { tx -> (RotationRecord?, [JournalEntry]) in
            let active = try tx.activeRotation(secretName: playbook.secret)
            return (active, try active.map { try tx.journal(rotationID: $0.id) } ?? [])
        }
        guard let active, active.state == .awaitingApproval else { throw ApprovalError.nothingToApprove(secret: playbook.secret) }
        let machine = RotationMachine(plan: RotationRunner.plan(for: playbook, revokeImmediately: active.revokeImmediately),
                                      state: active.state, failureReason: active.error, journal: journal)
        let stages = playbook.stagePlan
        let stage = min(machine.liveStage ?? 0, stages.count - 1)
        return Waiting(rotation: active, stage: stage, stageName: stages[stage].name)
    }

    /// Approves the stage the rotation of `playbook`'s secret waits before, as `actor`, and drives the rotation on.
    /// `rotationID` and `stage`, when given, must be the ones waiting (a link is bound to both). `claim` runs just
    /// before the approval is recorded (a link is used up there); false stops with ``ApprovalError/linkUsed``.
    public func approve(_ playbook: Playbook, rotationID: String? = nil, stage: Int? = nil, actor: String,
                        claim: (@Sendable () async throws -> Bool)? = nil) async throws -> RotationOutcome {
        let waiting = try await waiting(playbook)
        if let rotationID, rotationID != waiting.rotation.id { throw ApprovalError.otherRotation(secret: playbook.secret) }
        if let stage, stage != waiting.stage { throw ApprovalError.otherRotation(secret: playbook.secret) }
        if let claim, !(try await claim()) { throw ApprovalError.linkUsed }
        logger.notice("stage approved", metadata: ["secret": "\(playbook.secret)", "rotation": "\(waiting.rotation.id)",
                                                   "stage": "\(waiting.stageName)", "actor": "\(actor)"])
        return try await runner.drive(rotationID: waiting.rotation.id, playbook: playbook, entry: .approved(actor: actor))
    }
}
