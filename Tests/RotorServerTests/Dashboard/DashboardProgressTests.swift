import Foundation
import RotorCore
@testable import RotorServer
import Testing

/// What the live progress page says of a rotation of a 4-target playbook at each point of its journal: which target
/// it is redeploying, each target's state, then the outcome.
@Suite("Dashboard progress text")
struct DashboardProgressTests {
    static let start = Date(timeIntervalSince1970: 1_780_000_000)
    static let playbook = DashboardWorld.memoryPlaybook("four-targets", targets: 4)

    static func rotation(_ state: RotationState, error: String? = nil, graceEndsAt: Date? = nil) -> RotationRecord {
        RotationRecord(id: "rot_test", secretName: "four-targets", trigger: .manual, actor: "alice", state: state,
                       graceEndsAt: graceEndsAt, error: error, createdAt: start, updatedAt: start)
    }

    static func journal(_ steps: [(RotationStep, JournalPhase)]) -> [JournalEntry] {
        [JournalEntry(rotationID: "rot_test", seq: 1, step: RotationStep.generate.key, phase: .succeeded, at: start)]
            + steps.enumerated().map { index, step in
                JournalEntry(rotationID: "rot_test", seq: index + 2, step: step.0.key, phase: step.1, at: start)
            }
    }

    /// The targets are written concurrently: every propagate step started, those of targets `0..<done` succeeded.
    static func redeployed(_ done: Int) -> [(RotationStep, JournalPhase)] {
        (0..<4).map { (RotationStep.propagate($0), JournalPhase.started) } + (0..<done).map { (RotationStep.propagate($0), JournalPhase.succeeded) }
    }

    static func describe(_ state: RotationState, _ steps: [(RotationStep, JournalPhase)], error: String? = nil,
                         graceEndsAt: Date? = nil, throughGrace: Bool = false) -> DashboardProgress {
        DashboardProgress.describe(rotation(state, error: error, graceEndsAt: graceEndsAt), journal: journal(steps),
                                   playbook: playbook, throughGrace: throughGrace)
    }

    @Test(arguments: [
        (0, "Redeploying services (1/4)…", ["redeploying", "redeploying", "redeploying", "redeploying"]),
        (1, "Redeploying services (2/4)…", ["live", "redeploying", "redeploying", "redeploying"]),
        (2, "Redeploying services (3/4)…", ["live", "live", "redeploying", "redeploying"]),
        (4, "Redeploying services (4/4)…", ["live", "live", "live", "live"]),
    ])
    func redeployingCountsTheTargetsWrittenAndNamesEachState(_ done: Int, _ text: String, _ states: [String]) {
        let progress = Self.describe(.propagating, Self.redeployed(done))
        #expect(progress.text == text)
        #expect(progress.targets.map(\.label) == ["service A", "service B", "service C", "service D"])
        #expect(progress.targets.map(\.state) == states)
        #expect(!progress.done)
        #expect(progress.outcome == "")
    }

    @Test func beforeAnyWriteEveryTargetWaits() {
        let progress = Self.describe(.propagating, [])
        #expect(progress.text == "Redeploying services (1/4)…")
        #expect(progress.targets.map(\.state) == ["waiting", "waiting", "waiting", "waiting"])
    }

    @Test func verifyingSaysWhichCheckRunsWithEveryTargetLive() {
        let started = Self.describe(.verifying, Self.redeployed(4) + [(.verify(0), .started)])
        #expect(started.text == "Checking the new value (1/1)…")
        #expect(started.targets.allSatisfy { $0.state == "live" })
        #expect(!started.done)
    }

    @Test func graceIsTheOutcomeUnlessFollowedToTheRevoke() {
        let ends = Self.start.addingTimeInterval(86_400)
        let grace = Self.describe(.grace, Self.redeployed(4) + [(.verify(0), .succeeded)], graceEndsAt: ends)
        #expect(grace.text == "Live: the new value is in use everywhere.")
        #expect(grace.done)
        #expect(grace.outcome == "Succeeded. The old value stays valid until 2026-05-29 20:26 UTC.")
        let followed = Self.describe(.grace, Self.redeployed(4), graceEndsAt: ends, throughGrace: true)
        #expect(!followed.done)
        #expect(followed.outcome == "")
        let completed = Self.describe(.completed, Self.redeployed(4), throughGrace: true)
        #expect(completed.done)
        #expect(completed.text == "Completed: the new value is in use and the old one is revoked.")
        #expect(completed.outcome == "Succeeded.")
    }

    @Test func aRollbackShowsTheFailedTargetAndThoseRestored() {
        let steps = Self.redeployed(2) + [(.propagate(2), .failed), (.propagate(3), .succeeded), (.undoPropagate(1), .succeeded),
                                          (.undoPropagate(0), .succeeded), (.undoPropagate(3), .succeeded)]
        let rolling = Self.describe(.rollingBack, Array(steps.dropLast(2)))
        #expect(rolling.text == "Rolling back: restoring the previous value…")
        #expect(rolling.targets.map(\.state) == ["live", "restored", "failed", "live"])
        #expect(!rolling.done)
        let rolledBack = Self.describe(.rolledBack, steps, error: "service C refused the write (HTTP 503)")
        #expect(rolledBack.text == "Rolled back: the targets hold the previous value.")
        #expect(rolledBack.targets.map(\.state) == ["restored", "restored", "failed", "restored"])
        #expect(rolledBack.done)
        #expect(rolledBack.outcome == "Did not go through: service C refused the write (HTTP 503).")
    }

    @Test func aFailureIsTheOutcomeWithItsReasonOrItsState() {
        let failed = Self.describe(.failed, [(.propagate(0), .started), (.propagate(0), .failed)], error: "restore failed")
        #expect(failed.text == "Failed.")
        #expect(failed.targets.map(\.state) == ["failed", "waiting", "waiting", "waiting"])
        #expect(failed.done)
        #expect(failed.outcome == "Did not go through: restore failed.")
        #expect(Self.describe(.failed, []).outcome == "Did not go through: failed.")
    }

    @Test(arguments: [
        (RotationState.awaitingApproval, "Waiting for a person to approve the next stage…"),
        (.awaitingValue, "Waiting for a person to supply the new value…"),
        (.generating, "Minting a new value…"),
        (.revoking, "Revoking the old value…"),
    ])
    func waitsAndOtherStepsAreNotAnOutcome(_ state: RotationState, _ text: String) {
        let progress = Self.describe(state, state == .revoking ? Self.redeployed(4) : [])
        #expect(progress.text == text)
        #expect(!progress.done)
        #expect(progress.outcome == "")
        #expect(progress.state == state.rawValue)
    }
}
