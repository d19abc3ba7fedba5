import Foundation
import Testing
@testable import RotorCore

@Suite("Rotation state machine")
struct RotationMachineTests {
    typealias M = RotationMachine

    /// Drives a machine like the runner does: every `.run` step gets an outcome from `outcome`.
    /// Returns every action seen and the order steps were launched in.
    @discardableResult
    static func drive(_ machine: inout M, first: [M.Action],
                      outcome: (RotationStep) -> String? = { _ in nil }) -> (actions: [M.Action], launched: [RotationStep]) {
        var queue = first
        var seen: [M.Action] = []
        var launched: [RotationStep] = []
        var guardrail = 0
        while !queue.isEmpty, guardrail < 1000 {
            guardrail += 1
            let action = queue.removeFirst()
            seen.append(action)
            if case .run(let steps) = action {
                launched += steps
                for step in steps {
                    if let reason = outcome(step) {
                        queue += machine.stepFailed(step, reason: reason)
                    } else {
                        queue += machine.stepSucceeded(step)
                    }
                }
            }
        }
        return (seen, launched)
    }

    /// A state that holds the secret's one active rotation must be one the runner can move on from: resuming a
    /// machine rebuilt in it yields something to do (run steps, wait for grace, retry a revoke, or finish in
    /// another state). A state where it yields nothing would wedge the secret.
    @Test func activeStatesAreExactlyTheOnesTheRunnerCanDrive() {
        for state in RotationState.allCases {
            var m = M(plan: .init(targets: 1, checks: 1), state: state, failureReason: nil, journal: [])
            let actions = m.resume()
            let drives = !actions.isEmpty && actions != [.finished(state)]
            #expect(state.isActive == drives, "\(state): active \(state.isActive), resume gives \(actions)")
        }
        #expect(M(plan: .init(targets: 1, checks: 1)).state.isActive, "a new rotation starts in an active state")
    }

    @Test func happyPathRunsEveryStageInOrderAndWaitsForGrace() {
        var m = M(plan: .init(targets: 2, checks: 1))
        let (actions, launched) = Self.drive(&m, first: m.start())
        #expect(launched == [.generate, .propagate(0), .propagate(1), .verify(0), .promote])
        #expect(actions.last == .awaitGrace)
        #expect(m.state == .grace)
        let (after, revoked) = Self.drive(&m, first: m.graceElapsed())
        #expect(revoked == [.revokeOld])
        #expect(after.last == .finished(.completed))
        #expect(m.state == .completed)
    }

    @Test func propagationLaunchesEveryTargetAtOnce() {
        var m = M(plan: .init(targets: 3, checks: 0))
        _ = m.start()
        #expect(m.stepSucceeded(.generate) == [.run([.propagate(0), .propagate(1), .propagate(2)])])
        #expect(m.state == .propagating)
    }

    @Test func failedCheckRollsBackTargetsInReverseThenRevokesTheNewCredential() {
        var m = M(plan: .init(targets: 2, checks: 2))
        let (actions, launched) = Self.drive(&m, first: m.start()) { $0 == .verify(1) ? "HTTP 503" : nil }
        #expect(launched == [.generate, .propagate(0), .propagate(1), .verify(0), .verify(1),
                             .undoPropagate(1), .undoPropagate(0), .revokeNew])
        #expect(!launched.contains(.revokeOld))
        #expect(actions.last == .finished(.rolledBack))
        #expect(m.state == .rolledBack)
        #expect(m.failureReason == "verify:1: HTTP 503")
    }

    @Test func rollbackWaitsForStepsStillInFlight() {
        var m = M(plan: .init(targets: 2, checks: 0))
        _ = m.start()
        _ = m.stepSucceeded(.generate)
        #expect(m.stepFailed(.propagate(0), reason: "HTTP 500").isEmpty)
        #expect(m.state == .propagating)
        #expect(m.stepSucceeded(.propagate(1)) == [.run([.undoPropagate(1), .undoPropagate(0)])])
        #expect(m.state == .rollingBack)
    }

    @Test func failedGenerateEndsRolledBackWithNothingToUndo() {
        var m = M(plan: .init(targets: 2, checks: 1))
        let (actions, launched) = Self.drive(&m, first: m.start()) { $0 == .generate ? "vendor said 401" : nil }
        #expect(launched == [.generate])
        #expect(actions.last == .finished(.rolledBack))
    }

    @Test func failedUndoEndsFailedAndRetryUndoRunsOnlyWhatFailed() {
        var m = M(plan: .init(targets: 2, checks: 1))
        let (actions, launched) = Self.drive(&m, first: m.start()) { step in
            switch step {
            case .verify: "unhealthy"
            case .undoPropagate(0): "render 500"
            default: nil
            }
        }
        #expect(actions.last == .finished(.failed))
        #expect(m.state == .failed)
        // The new credential stays valid: target 0 may still hold it.
        #expect(!launched.contains(.revokeNew))
        let (retry, relaunched) = Self.drive(&m, first: m.retryUndo())
        #expect(relaunched == [.undoPropagate(0), .revokeNew])
        #expect(retry.last == .finished(.rolledBack))
    }

    @Test func revokeImmediatelySkipsTheGraceWait() {
        var m = M(plan: .init(targets: 1, checks: 1, revokeImmediately: true))
        let (actions, launched) = Self.drive(&m, first: m.start())
        #expect(launched.last == .revokeOld)
        #expect(!actions.contains(.awaitGrace))
        #expect(m.state == .completed)
    }

    @Test func failedRevokeStallsAndIsRetriedOnResume() {
        var m = M(plan: .init(targets: 1, checks: 0))
        Self.drive(&m, first: m.start())
        let (stalled, _) = Self.drive(&m, first: m.graceElapsed()) { $0 == .revokeOld ? "vendor 503" : nil }
        #expect(stalled.last == .revokeStalled("vendor 503"))
        #expect(m.state == .revoking)
        let (resumed, launched) = Self.drive(&m, first: m.resume())
        #expect(launched == [.revokeOld])
        #expect(resumed.last == .finished(.completed))
    }

    @Test func operatorRollbackDuringGraceRestoresTargetsLabelsAndRevokesNew() throws {
        var m = M(plan: .init(targets: 2, checks: 1))
        Self.drive(&m, first: m.start())
        #expect(m.state == .grace)
        let rollback = m.rollback(reason: "operator: app errors")
        let first = try #require(rollback)
        let (actions, launched) = Self.drive(&m, first: first)
        #expect(launched == [.undoPropagate(1), .undoPropagate(0), .undoPromote, .revokeNew])
        #expect(actions.last == .finished(.rolledBack))
    }

    @Test func rollbackIsRefusedOnceRevocationStarted() {
        var m = M(plan: .init(targets: 1, checks: 0))
        Self.drive(&m, first: m.start())
        _ = m.graceElapsed()
        #expect(m.rollback(reason: "too late") == nil)
    }

    @Test func rebuiltFromJournalRerunsAStepWhoseOutcomeIsUnknown() {
        let journal = Self.journal([
            ("generate", .started), ("generate", .succeeded),
            ("propagate:0", .started), ("propagate:0", .succeeded),
            ("propagate:1", .started),
        ])
        var m = M(plan: .init(targets: 2, checks: 1), state: .propagating, failureReason: nil, journal: journal)
        #expect(m.status(.propagate(1)) == .unknown)
        #expect(m.resume() == [.run([.propagate(1)])])
    }

    @Test func crashDuringRollbackUndoesTheStepThatMayHaveHappened() {
        let journal = Self.journal([
            ("generate", .succeeded), ("propagate:0", .succeeded), ("propagate:1", .started),
            ("verify:0", .failed),
        ])
        // A propagate whose outcome is unknown is undone, not redone, once the rotation is rolling back.
        var m = M(plan: .init(targets: 2, checks: 1), state: .rollingBack, failureReason: "verify:0: down", journal: journal)
        let (actions, launched) = Self.drive(&m, first: m.resume())
        #expect(launched == [.undoPropagate(1), .undoPropagate(0), .revokeNew])
        #expect(actions.last == .finished(.rolledBack))
    }

    @Test func stepKeysRoundTripThroughTheJournal() {
        let steps: [RotationStep] = [.generate, .propagate(0), .propagate(12), .verify(3), .promote, .revokeOld,
                                     .undoPropagate(7), .undoPromote, .revokeNew]
        for step in steps { #expect(RotationStep(key: step.key) == step) }
        for bad in ["", "propagate", "propagate:-1", "propagate:x", "undo:verify:1", "undo", "revoke:1", "a:b:c:d"] {
            #expect(RotationStep(key: bad) == nil, "\(bad)")
        }
    }

    /// Random failures at every step, many times over: the invariants hold on every path.
    @Test func invariantsHoldUnderRandomFailures() {
        var rng = SeededGenerator(seed: 0x5eed)
        for _ in 0..<2000 {
            let targets = Int.random(in: 0...4, using: &rng)
            let checks = Int.random(in: 0...3, using: &rng)
            var m = M(plan: .init(targets: targets, checks: checks, revokeImmediately: Bool.random(using: &rng),
                                  awaitsValue: Bool.random(using: &rng)))
            var succeeded: Set<RotationStep> = []
            var queue = m.start()
            var steps = 0
            while !queue.isEmpty {
                steps += 1
                #expect(steps < 200, "the machine must terminate")
                if steps >= 200 { break }
                let action = queue.removeFirst()
                switch action {
                case .run(let run):
                    for step in run {
                        if step == .revokeOld {
                            // Never revoke the old credential before every target and check succeeded.
                            for p in m.propagateSteps + m.verifySteps { #expect(succeeded.contains(p)) }
                        }
                        if step == .revokeNew {
                            // Never revoke the new credential while a touched target was not restored.
                            for i in 0..<targets where m.status(.propagate(i)) != .pending {
                                #expect(succeeded.contains(.undoPropagate(i)))
                            }
                        }
                        if Int.random(in: 0..<8, using: &rng) == 0 {
                            queue += m.stepFailed(step, reason: "injected")
                        } else {
                            succeeded.insert(step)
                            queue += m.stepSucceeded(step)
                        }
                    }
                case .awaitGrace:
                    queue += m.graceElapsed()
                case .awaitValue:
                    queue += m.valueSupplied()
                case .awaitApproval:
                    queue += m.approved()
                case .revokeStalled:
                    queue += m.resume()
                case .finished(let state):
                    #expect([.completed, .rolledBack, .failed].contains(state))
                }
            }
            #expect([.completed, .rolledBack, .failed].contains(m.state))
        }
    }

    static func journal(_ entries: [(String, JournalPhase)]) -> [JournalEntry] {
        entries.enumerated().map { index, entry in
            JournalEntry(rotationID: "rot_test", seq: index + 1, step: entry.0, phase: entry.1,
                         detail: entry.1 == .failed ? "failed" : nil, at: Date(timeIntervalSince1970: 0))
        }
    }
}

/// SplitMix64: a deterministic generator so a failing random case can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
