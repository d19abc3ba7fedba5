import Foundation
@testable import RotorCore
import RotorTestSupport
import Testing

/// The runner over a real SQLite store and in-memory providers: the journal, the audit trail and the
/// operator's messages of each path, line by line (one target and one check, so nothing runs concurrently),
/// and how it refuses what it must not do.
@Suite("Rotation runner")
struct RotationRunnerTests {
    static let plan = #"plan succeeded {"checks":1,"graceSeconds":3600,"targets":1}"#
    static let forwardJournal = [
        plan, "generate started -", "generate succeeded -", "propagate:0 started -", "propagate:0 succeeded -",
        "verify:0 started -", "verify:0 succeeded -", "promote started -", "promote succeeded -",
    ]
    static let forwardAudit = [
        "rotation.started started old=OLD-FP/OLD-LAST4 new=-/- reason=runner tests detail=-",
        "step.generate succeeded old=-/- new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
        "rotation.propagating propagating old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
        "step.propagate succeeded old=-/- new=NEW-FP/NEW-LAST4 reason=runner tests detail=memory target 0",
        "rotation.verifying verifying old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
        "step.verify succeeded old=-/- new=NEW-FP/NEW-LAST4 reason=runner tests detail=memory check",
        "step.promote succeeded old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
        "rotation.grace grace old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
    ]
    static let forwardEvents = [
        "started",
        "✓ generate: new key generated (NEW-DISPLAY)",
        "✓ propagate:0: memory target 0 updated",
        "✓ verify:0: memory check passed",
        "✓ promote: NEW-DISPLAY is current; old and new both valid until 2030-03-17T18:46:40Z",
    ]

    @Test func aRotationReachesGraceAndCompletesWhenGraceEnds() async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1)
        try await withCleanup({ await world.close() }) {
            let events = Transcript.Events()
            let runner = world.runner(owner: "host-a:runner", observer: events.record)
            #expect(try await world.rotate(with: runner).rotation.state == .grace)
            world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1)
            #expect(try await world.drive(with: runner, entry: .graceElapsed).rotation.state == .completed)

            let transcript = Transcript(try await world.snapshot(), events: events.all)
            #expect(transcript.journal == Self.forwardJournal + ["revoke started -", "revoke succeeded -"])
            #expect(transcript.audit == Self.forwardAudit + [
                "rotation.revoking revoking old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "step.revoke succeeded old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "rotation.completed completed old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
            ])
            #expect(transcript.events == Self.forwardEvents + [
                "✓ revoke: old key revoked (OLD-DISPLAY)",
                "finished completed: rotation completed",
            ])
            #expect(!world.vendor.accepts(RunnerWorld.oldValue))
            try await world.checkInvariants(settled: true, "completed")
        }
    }

    @Test func aFailingCheckRestoresTheTargetAndRevokesTheNewCredential() async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1, checksFail: true)
        try await withCleanup({ await world.close() }) {
            let events = Transcript.Events()
            let outcome = try await world.rotate(with: world.runner(owner: "host-a:runner", observer: events.record))
            #expect(outcome.rotation.state == .rolledBack)

            let transcript = Transcript(try await world.snapshot(), events: events.all)
            #expect(transcript.journal == Array(Self.forwardJournal.prefix(6)) + [
                "verify:0 failed HTTP 401 from the memory service",
                "undo:propagate:0 started -", "undo:propagate:0 succeeded -",
                "undo:generate started -", "undo:generate succeeded -",
            ])
            #expect(transcript.audit == Array(Self.forwardAudit.prefix(5)) + [
                "step.verify:0 failed old=-/- new=-/- reason=HTTP 401 from the memory service detail=-",
                "rotation.rolling_back rolling_back old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "step.undo.propagate succeeded old=OLD-FP/OLD-LAST4 new=-/- reason=runner tests detail=memory target 0",
                "step.undo.generate succeeded old=-/- new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "rotation.rolled_back rolled_back old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 "
                    + "reason=verify:0: HTTP 401 from the memory service detail=-",
            ])
            #expect(transcript.events == Array(Self.forwardEvents.prefix(3)) + [
                "✗ verify:0: memory check: HTTP 401 from the memory service",
                "✓ undo:propagate:0: memory target 0 restored to OLD-DISPLAY",
                "✓ undo:generate: new key revoked at the source (NEW-DISPLAY)",
                "finished rolled_back: rolled back: every target holds the previous value again "
                    + "(verify:0: HTTP 401 from the memory service)",
            ])
            try await world.checkInvariants(settled: true, "rolled back")
        }
    }

    @Test func anOperatorRollbackInGraceUndoesEveryStep() async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1)
        try await withCleanup({ await world.close() }) {
            let events = Transcript.Events()
            let runner = world.runner(owner: "host-a:runner", observer: events.record)
            _ = try await world.rotate(with: runner)
            let outcome = try await world.drive(with: runner, entry: .rollback(reason: "leaked in a screenshot"))
            #expect(outcome.rotation.state == .rolledBack)

            let transcript = Transcript(try await world.snapshot(), events: events.all)
            #expect(transcript.journal == Self.forwardJournal + [
                "undo:propagate:0 started -", "undo:propagate:0 succeeded -", "undo:promote started -",
                "undo:promote succeeded -", "undo:generate started -", "undo:generate succeeded -",
            ])
            #expect(transcript.audit == Self.forwardAudit + [
                "rotation.rolling_back rolling_back old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "step.undo.propagate succeeded old=OLD-FP/OLD-LAST4 new=-/- reason=runner tests detail=memory target 0",
                "step.undo.promote succeeded old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "step.undo.generate succeeded old=-/- new=NEW-FP/NEW-LAST4 reason=runner tests detail=-",
                "rotation.rolled_back rolled_back old=OLD-FP/OLD-LAST4 new=NEW-FP/NEW-LAST4 reason=leaked in a screenshot detail=-",
            ])
            #expect(transcript.events == Self.forwardEvents + [
                "✓ undo:propagate:0: memory target 0 restored to OLD-DISPLAY",
                "✓ undo:promote: OLD-DISPLAY is current again",
                "✓ undo:generate: new key revoked at the source (NEW-DISPLAY)",
                "finished rolled_back: rolled back: every target holds the previous value again (leaked in a screenshot)",
            ])
            try await world.checkInvariants(settled: true, "rolled back from grace")
        }
    }

    @Test func rotatingAgainDuringGraceIsRefusedWithTheActiveRotation() async throws {
        let world = try await RunnerWorld.make()
        try await withCleanup({ await world.close() }) {
            let runner = world.runner(owner: "host-a:runner")
            let first = try await world.rotate(with: runner)
            let error = await #expect(throws: RunnerError.self) { try await world.rotate(with: runner) }
            #expect(error?.code == .rotationActive)
            #expect(error?.rotationID == first.rotation.id)
            #expect(error?.state == .grace)
            #expect(error == .rotationActive(secret: RunnerWorld.secret, rotationID: first.rotation.id, state: .grace))
        }
    }

    @Test func aDeadProcessesLeaseIsHeldUntilItExpires() async throws {
        let world = try await RunnerWorld.make()
        try await withCleanup({ await world.close() }) {
            let dying = world.runner(owner: "host-a:dying", fault: FaultPlan(point: .crashAfter, step: "propagate:0", crash: .simulate))
            await #expect(throws: SimulatedCrash.self) { try await world.rotate(with: dying) }

            let rescuer = world.runner(owner: "host-b:rescuer")
            let held = await #expect(throws: RunnerError.self) { try await world.drive(with: rescuer, entry: .resume) }
            #expect(held?.code == .leaseHeld)
            #expect(held?.leaseOwner == "host-a:dying")

            world.clock.advance(by: RunnerWorld.lease / .seconds(1) + 1)
            #expect(try await world.drive(with: rescuer, entry: .resume).rotation.state == .grace)
            try await world.checkInvariants(settled: true, "resumed")
        }
    }

    @Test func rotatingAfterACrashResumesTheInterruptedRotationFirst() async throws {
        let world = try await RunnerWorld.make()
        try await withCleanup({ await world.close() }) {
            let dying = world.runner(owner: "host-a:dying", fault: FaultPlan(point: .crashBefore, step: "verify:0", crash: .simulate))
            await #expect(throws: SimulatedCrash.self) { try await world.rotate(with: dying) }
            world.clock.advance(by: RunnerWorld.lease / .seconds(1) + 1)

            let events = Transcript.Events()
            // The interrupted rotation reaches grace, so the new request is refused rather than started.
            let error = await #expect(throws: RunnerError.self) {
                try await world.rotate(with: world.runner(owner: "host-b:next", observer: events.record))
            }
            #expect(error?.code == .rotationActive && error?.state == .grace)
            #expect(events.all.first == .resumed(rotationID: try #require(error?.rotationID), state: .verifying))
            try await world.checkInvariants(settled: true, "resumed by rotate")
        }
    }

    @Test func rollingBackOnceRevocationBeganIsRefused() async throws {
        let world = try await RunnerWorld.make()
        try await withCleanup({ await world.close() }) {
            let runner = world.runner(owner: "host-a:runner")
            _ = try await world.rotate(with: runner)
            world.clock.advance(by: RunnerWorld.grace / .seconds(1) + 1)
            _ = try await world.drive(with: runner, entry: .graceElapsed)
            let error = await #expect(throws: RunnerError.self) {
                try await world.drive(with: runner, entry: .rollback(reason: "too late"))
            }
            #expect(error?.code == .cannotRollBack && error?.state == .completed)
        }
    }
}
