/// The rotation pipeline as a pure value: feed it events, it answers with the steps to perform next.
///
/// The runner owns all I/O: it journals a step as started, performs it, journals the outcome and
/// reports it here. Because the machine can be rebuilt from the journal alone, a crash at any point
/// leaves enough to decide what may have happened and what comes next (the pattern of
/// postgres-nio's connection state machine).
///
/// Invariants the machine guarantees (and its tests check):
/// - `revokeOld` is never returned before every propagate and every verify step succeeded.
/// - Rollback waits for every step in flight to settle, then undoes in reverse: targets first
///   (while the new credential is still valid), labels next, the new credential at its source last.
/// - A step that started but whose outcome is unknown (a crash) is treated as "may have happened":
///   forward steps are idempotent and run again; on the rollback path they are undone.
public struct RotationMachine: Sendable, Equatable {
    /// What the rotation has to do, fixed when it starts.
    public struct Plan: Sendable, Equatable {
        public var targets: Int
        public var checks: Int
        /// Revoke the old credential as soon as the new one is verified (emergencies).
        public var revokeImmediately: Bool
        /// A person supplies the new value (a `manual` source): the rotation starts in `awaitingValue`.
        public var awaitsValue: Bool
        /// In order: each is propagated and verified before the next starts. Together they cover every target and
        /// check once; a plan without written stages has one holding everything.
        public var stages: [Stage]

        public init(targets: Int, checks: Int, revokeImmediately: Bool = false, awaitsValue: Bool = false,
                    stages: [Stage]? = nil) {
            self.targets = targets
            self.checks = checks
            self.revokeImmediately = revokeImmediately
            self.awaitsValue = awaitsValue
            self.stages = stages ?? [Stage(targets: 0..<targets, checks: 0..<checks)]
        }
    }

    /// A slice of the plan's targets and checks, optionally behind a person's approval.
    public struct Stage: Sendable, Equatable {
        public var targets: Range<Int>
        public var checks: Range<Int>
        /// The rotation waits in `awaitingApproval` before the stage's first write until a person approves.
        public var approve: Bool

        public init(targets: Range<Int>, checks: Range<Int>, approve: Bool = false) {
            self.targets = targets
            self.checks = checks
            self.approve = approve
        }
    }

    public enum StepStatus: Sendable, Equatable {
        case pending
        /// Started by this process and not finished yet.
        case running
        /// Journaled as started by an earlier process that did not journal an outcome.
        case unknown
        case succeeded
        case failed(String)
    }

    public enum Action: Sendable, Equatable {
        /// Perform these steps (they may run concurrently), reporting each outcome.
        case run([RotationStep])
        /// Nothing to do until the grace period ends.
        case awaitGrace
        /// Nothing to do until a person supplies the new value.
        case awaitValue
        /// Nothing to do until a person approves the stage ``RotationMachine/liveStage``.
        case awaitApproval
        /// The old credential could not be revoked; the rotation stays in `revoking` and a later pass retries.
        case revokeStalled(String)
        /// The rotation reached a final state.
        case finished(RotationState)
    }

    public let plan: Plan
    public private(set) var state: RotationState
    public private(set) var steps: [RotationStep: StepStatus]
    /// Why the rotation is rolling back or failed: the first failure seen.
    public private(set) var failureReason: String?
    /// The stages a person approved (journaled as ``approvalKey(stage:)``, succeeded).
    public private(set) var approvals: Set<Int> = []

    public init(plan: Plan) {
        self.plan = plan
        // The runner stores a new rotation in this state in the transaction that creates it.
        self.state = plan.awaitsValue ? .awaitingValue : .generating
        self.steps = [:]
    }

    /// Rebuilds the machine from a persisted state and journal (oldest entry first).
    public init(plan: Plan, state: RotationState, failureReason: String?, journal: [JournalEntry]) {
        self.plan = plan
        self.state = state
        self.failureReason = failureReason
        var steps: [RotationStep: StepStatus] = [:]
        var approved: Set<Int> = []
        for entry in journal {
            if entry.phase == .succeeded, let stage = Self.approvedStage(key: entry.step) { approved.insert(stage) }
            guard let step = RotationStep(key: entry.step) else { continue }
            switch entry.phase {
            case .started: steps[step] = .unknown
            case .succeeded: steps[step] = .succeeded
            case .failed: steps[step] = .failed(entry.detail ?? "failed")
            }
        }
        self.steps = steps
        self.approvals = approved
    }

    public func status(_ step: RotationStep) -> StepStatus { steps[step] ?? .pending }

    public var propagateSteps: [RotationStep] { (0..<plan.targets).map(RotationStep.propagate) }
    public var verifySteps: [RotationStep] { (0..<plan.checks).map(RotationStep.verify) }

    /// The journal key that records a person's approval of stage `stage` (not a step: it has no effect to undo).
    public static func approvalKey(stage: Int) -> String { "approve:\(stage)" }

    /// The stage an approval key names; nil for any other key.
    public static func approvedStage(key: String) -> Int? {
        guard key.hasPrefix("approve:"), let stage = Int(key.dropFirst("approve:".count)), stage >= 0 else { return nil }
        return stage
    }

    /// The stage being worked on: the first whose targets and checks have not all succeeded; nil once every stage
    /// is done. Derived from the journal alone, so a resumed rotation picks up at the stage it was in.
    public var liveStage: Int? {
        plan.stages.indices.first { stage in
            !(stagePropagateSteps(stage) + stageVerifySteps(stage)).allSatisfy { status($0) == .succeeded }
        }
    }

    func stagePropagateSteps(_ stage: Int) -> [RotationStep] { plan.stages[stage].targets.map(RotationStep.propagate) }
    func stageVerifySteps(_ stage: Int) -> [RotationStep] { plan.stages[stage].checks.map(RotationStep.verify) }

    // MARK: Events

    /// Starts a new rotation (or continues one rebuilt from the store).
    public mutating func start() -> [Action] {
        nextActions()
    }

    /// Continues after a crash or on a later pass: steps whose outcome is unknown are taken up again.
    public mutating func resume() -> [Action] {
        for (step, status) in steps where status == .running { steps[step] = .unknown }
        if state == .revoking, case .failed = status(.revokeOld) { steps[.revokeOld] = .pending }
        return nextActions()
    }

    public mutating func stepSucceeded(_ step: RotationStep) -> [Action] {
        steps[step] = .succeeded
        return nextActions()
    }

    /// `described` is the failure as people read it (naming the target, not the step key); without it the
    /// step key names the step.
    public mutating func stepFailed(_ step: RotationStep, reason: String, described: String? = nil) -> [Action] {
        steps[step] = .failed(reason)
        if failureReason == nil, step != .revokeOld { failureReason = described ?? "\(step.key): \(reason)" }
        return nextActions()
    }

    /// A person supplied a value that passed its checks: generating (which stores it) can begin.
    public mutating func valueSupplied() -> [Action] {
        if state == .awaitingValue { state = .generating }
        return nextActions()
    }

    /// A person approved the stage the rotation waits before: its targets are written next.
    public mutating func approved() -> [Action] {
        if state == .awaitingApproval, let stage = liveStage {
            approvals.insert(stage)
            state = .propagating
        }
        return nextActions()
    }

    public mutating func graceElapsed() -> [Action] {
        if state == .grace { state = .revoking }
        return nextActions()
    }

    /// An operator asks to roll back. Possible until the old credential's revocation has begun.
    public mutating func rollback(reason: String) -> [Action]? {
        switch state {
        case .awaitingValue, .awaitingApproval, .generating, .propagating, .verifying, .grace:
            if failureReason == nil { failureReason = reason }
            state = .rollingBack
            return nextActions()
        default:
            return nil
        }
    }

    /// After a rollback ended in `failed`, try the failed undo steps again.
    public mutating func retryUndo() -> [Action] {
        guard state == .failed else { return nextActions() }
        for (step, status) in steps where step.isUndo {
            if case .failed = status { steps[step] = .pending }
        }
        state = .rollingBack
        return nextActions()
    }

    // MARK: Transitions

    private var anyRunning: Bool { steps.values.contains(.running) }

    private mutating func launch(_ toRun: [RotationStep]) -> [Action] {
        for step in toRun { steps[step] = .running }
        return [.run(toRun)]
    }

    private mutating func beginRollback() -> [Action] {
        state = .rollingBack
        return nextActions()
    }

    /// Steps of `group` that still have to be launched, or nil when the group is settled.
    private func outstanding(_ group: [RotationStep]) -> [RotationStep] {
        group.filter { status($0) == .pending || status($0) == .unknown }
    }

    private func firstFailure(_ group: [RotationStep]) -> Bool {
        group.contains { if case .failed = status($0) { true } else { false } }
    }

    private mutating func forwardStage(_ group: [RotationStep], then next: RotationState) -> [Action] {
        if firstFailure(group) {
            return anyRunning ? [] : beginRollback()
        }
        let toRun = outstanding(group)
        if !toRun.isEmpty { return launch(toRun) }
        if group.contains(where: { status($0) == .running }) { return [] }
        state = next
        return nextActions()
    }

    private mutating func nextActions() -> [Action] {
        switch state {
        case .awaitingValue:
            return [.awaitValue]
        case .awaitingApproval:
            return [.awaitApproval]
        case .generating:
            return forwardStage([.generate], then: .propagating)
        case .propagating:
            return propagateStage()
        case .verifying:
            if let stage = liveStage { return verifyStage(stage) }
            switch status(.promote) {
            case .pending, .unknown: return launch([.promote])
            case .running: return []
            case .failed: return beginRollback()
            case .succeeded:
                state = .grace
                return nextActions()
            }
        case .grace:
            if plan.revokeImmediately {
                state = .revoking
                return nextActions()
            }
            return [.awaitGrace]
        case .revoking:
            switch status(.revokeOld) {
            case .pending, .unknown: return launch([.revokeOld])
            case .running: return []
            case .failed(let reason): return [.revokeStalled(reason)]
            case .succeeded:
                state = .completed
                return [.finished(.completed)]
            }
        case .rollingBack:
            return rollbackActions()
        case .completed, .rolledBack, .failed:
            return [.finished(state)]
        }
    }

    /// The live stage's writes, after its approval when it needs one; with every stage written, on to verifying.
    private mutating func propagateStage() -> [Action] {
        guard let stage = liveStage else {
            state = .verifying
            return nextActions()
        }
        let writes = stagePropagateSteps(stage)
        // Nothing of a stage behind an approval is written before a person approves it.
        if plan.stages[stage].approve, !approvals.contains(stage), writes.allSatisfy({ status($0) == .pending }) {
            state = .awaitingApproval
            return [.awaitApproval]
        }
        return forwardStage(writes, then: .verifying)
    }

    /// The live stage's checks; once they passed, the live stage is the next one, whose writes begin.
    private mutating func verifyStage(_ stage: Int) -> [Action] {
        let writes = stagePropagateSteps(stage)
        if !writes.allSatisfy({ status($0) == .succeeded }) {
            if firstFailure(writes) { return anyRunning ? [] : beginRollback() }
            state = .propagating
            return nextActions()
        }
        return forwardStage(stageVerifySteps(stage), then: .verifying)
    }

    /// Undo in reverse order of the forward path; each phase starts when the one before has settled.
    /// A phase with a failed undo stops the rollback: revoking the new credential while a target may
    /// still hold it would break that target.
    private mutating func rollbackActions() -> [Action] {
        if anyRunning { return [] }
        let phases: [[RotationStep]] = [
            (0..<plan.targets).reversed().filter { mayHaveHappened(.propagate($0)) }.map(RotationStep.undoPropagate),
            mayHaveHappened(.promote) ? [.undoPromote] : [],
            mayHaveHappened(.generate) ? [.revokeNew] : [],
        ]
        for phase in phases where !phase.isEmpty {
            let toRun = outstanding(phase)
            if !toRun.isEmpty { return launch(toRun) }
            if firstFailure(phase) {
                state = .failed
                return [.finished(.failed)]
            }
        }
        state = .rolledBack
        return [.finished(.rolledBack)]
    }

    /// Whether a forward step's effect may exist. A failed propagate may have written some of its
    /// values; a failed generate or promote left nothing (the source threw, the transaction rolled back).
    private func mayHaveHappened(_ step: RotationStep) -> Bool {
        switch status(step) {
        case .pending: false
        case .running, .unknown, .succeeded: true
        case .failed: if case .propagate = step { true } else { false }
        }
    }
}
