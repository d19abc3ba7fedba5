import Foundation
import Testing
@testable import RotorCore

@Suite("Rotation state machine: stages and approvals")
struct RotationMachineStagesTests {
    typealias M = RotationMachine

    /// staging: targets 0-1, check 0; production (approve): target 2, check 1.
    static func staged(approve: Bool = true) -> M.Plan {
        .init(targets: 3, checks: 2, stages: [.init(targets: 0..<2, checks: 0..<1),
                                              .init(targets: 2..<3, checks: 1..<2, approve: approve)])
    }

    @Test func eachStageIsPropagatedAndVerifiedBeforeTheNextStarts() {
        var m = M(plan: Self.staged(approve: false))
        let (actions, launched) = RotationMachineTests.drive(&m, first: m.start())
        #expect(launched == [.generate, .propagate(0), .propagate(1), .verify(0), .propagate(2), .verify(1), .promote])
        #expect(actions.last == .awaitGrace)
    }

    @Test func aStageMarkedApproveWaitsBeforeItsFirstWrite() {
        var m = M(plan: Self.staged())
        let (actions, launched) = RotationMachineTests.drive(&m, first: m.start())
        #expect(launched == [.generate, .propagate(0), .propagate(1), .verify(0)])
        #expect(actions.last == .awaitApproval)
        #expect(m.state == .awaitingApproval)
        #expect(m.liveStage == 1)
        #expect(m.resume() == [.awaitApproval], "resuming a waiting rotation only waits again")
        let (after, rest) = RotationMachineTests.drive(&m, first: m.approved())
        #expect(rest == [.propagate(2), .verify(1), .promote])
        #expect(after.last == .awaitGrace)
    }

    @Test func aFailureInALaterStageRollsBackEveryStageTouched() {
        var m = M(plan: Self.staged(approve: false))
        let (actions, launched) = RotationMachineTests.drive(&m, first: m.start()) { $0 == .verify(1) ? "production down" : nil }
        #expect(launched.suffix(5) == [.verify(1), .undoPropagate(2), .undoPropagate(1), .undoPropagate(0), .revokeNew])
        #expect(!launched.contains(.revokeOld))
        #expect(actions.last == .finished(.rolledBack))
    }

    @Test func cancellingAWaitingApprovalUndoesTheStagesAlreadyWritten() {
        var m = M(plan: Self.staged())
        _ = RotationMachineTests.drive(&m, first: m.start())
        let (actions, launched) = RotationMachineTests.drive(&m, first: m.rollback(reason: "operator") ?? [])
        #expect(launched == [.undoPropagate(1), .undoPropagate(0), .revokeNew])
        #expect(actions.last == .finished(.rolledBack))
    }

    @Test func aRotationRebuiltBetweenStagesTakesUpTheNextStage() {
        let journal = RotationMachineTests.journal([
            ("generate", .succeeded), ("propagate:0", .succeeded), ("propagate:1", .succeeded), ("verify:0", .succeeded),
        ])
        // The crash came after staging's check was journaled and before the state moved on.
        var waiting = M(plan: Self.staged(), state: .verifying, failureReason: nil, journal: journal)
        #expect(waiting.resume() == [.awaitApproval])
        #expect(waiting.state == .awaitingApproval)
        var approved = M(plan: Self.staged(), state: .awaitingApproval, failureReason: nil,
                         journal: journal + RotationMachineTests.journal([(M.approvalKey(stage: 1), .succeeded)]))
        #expect(approved.approvals == [1])
        #expect(approved.resume() == [.awaitApproval], "the state is what the runner persisted; `approved` moves it on")
        #expect(approved.approved() == [.run([.propagate(2)])])
        var noApproval = M(plan: Self.staged(approve: false), state: .verifying, failureReason: nil, journal: journal)
        #expect(noApproval.resume() == [.run([.propagate(2)])])
    }

    @Test func anApprovalOutsideTheWaitChangesNothing() {
        var m = M(plan: Self.staged(approve: false))
        _ = RotationMachineTests.drive(&m, first: m.start())
        #expect(m.state == .grace)
        #expect(m.approved() == [.awaitGrace])
        #expect(m.approvals.isEmpty)
    }

    @Test func approvalKeysRoundTripAndAreNoSteps() {
        #expect(M.approvedStage(key: M.approvalKey(stage: 3)) == 3)
        for bad in ["approve", "approve:", "approve:-1", "approve:x", "propagate:1"] { #expect(M.approvedStage(key: bad) == nil, "\(bad)") }
        #expect(RotationStep(key: M.approvalKey(stage: 0)) == nil)
    }

    /// Random stage layouts, approvals and failures: the old credential is never revoked before every target of every
    /// stage holds the new value and every check passed, and no target of an approval stage is written before approval.
    @Test func invariantsHoldAcrossStagesUnderRandomFailures() {
        var rng = SeededGenerator(seed: 0x57a6e)
        for _ in 0..<1500 {
            var stages: [M.Stage] = []
            var (targets, checks) = (0, 0)
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let t = Int.random(in: 1...3, using: &rng), c = Int.random(in: 0...2, using: &rng)
                stages.append(.init(targets: targets..<(targets + t), checks: checks..<(checks + c), approve: Bool.random(using: &rng)))
                (targets, checks) = (targets + t, checks + c)
            }
            var m = M(plan: .init(targets: targets, checks: checks, stages: stages))
            var succeeded: Set<RotationStep> = []
            var queue = m.start()
            var rounds = 0
            while !queue.isEmpty, rounds < 300 {
                rounds += 1
                switch queue.removeFirst() {
                case .run(let run):
                    for step in run {
                        if step == .revokeOld { for p in m.propagateSteps + m.verifySteps { #expect(succeeded.contains(p)) } }
                        if case .propagate(let i) = step, let k = stages.firstIndex(where: { $0.targets.contains(i) }) {
                            if stages[k].approve { #expect(m.approvals.contains(k)) }
                            for earlier in stages[..<k] {
                                for c in earlier.checks { #expect(succeeded.contains(.verify(c))) }
                            }
                        }
                        if Int.random(in: 0..<10, using: &rng) == 0 {
                            queue += m.stepFailed(step, reason: "injected")
                        } else {
                            succeeded.insert(step)
                            queue += m.stepSucceeded(step)
                        }
                    }
                case .awaitApproval: queue += Bool.random(using: &rng) ? m.approved() : (m.rollback(reason: "cancel") ?? [])
                case .awaitGrace: queue += m.graceElapsed()
                case .awaitValue: queue += m.valueSupplied()
                case .revokeStalled: queue += m.resume()
                case .finished: break
                }
            }
            #expect(rounds < 300, "the machine must terminate")
            #expect([.completed, .rolledBack, .failed].contains(m.state))
        }
    }
}
