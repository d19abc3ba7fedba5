import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// Every stuck state has a command that resolves it: `rotor resolve` closes a revoke that keeps failing,
/// after a person revoked the old value by hand, or retries it now.
@Suite("Stuck states", .serialized)
struct StuckStateTests {
    /// A rotation whose grace ended while the vendor's revoke fails: stalled in `revoking`.
    static func stalledRevoke(_ world: World) async throws -> (old: String, tick: RotorProcess.Result) {
        let old = try await world.initialise()
        #expect(try await world.run(["rotate", "app-token"]).status == 0)
        world.setRevokeFails(true)
        let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))])
        let state = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state }
        try #require(state == .revoking, "\(tick)")
        return (old, tick)
    }

    @Test(arguments: Backend.allCases)
    func resolveRevokedManuallyClosesAStalledRevokeAuditedWithTheActorAndOnlyWithConfirmation(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let (old, tick) = try await Self.stalledRevoke(world)
            #expect(tick.status == 1, "a revoke that failed in the pass makes tick exit 1: \(tick)")
            #expect(try world.isLive(old))

            let unconfirmed = try await world.run(["resolve", "app-token", "--revoked-manually", "--reason", "revoked in the dashboard"])
            #expect(unconfirmed.status != 0)
            #expect(unconfirmed.stderr.contains("not a terminal") && unconfirmed.stderr.contains("--yes"), "\(unconfirmed)")
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state } == .revoking)

            let resolved = try await world.run(["resolve", "app-token", "--revoked-manually", "--reason", "revoked in the dashboard",
                                                "--yes", "--json"])
            #expect(resolved.status == 0, "\(resolved)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(resolved.stdout.utf8)) as? [String: Any])
            #expect(json["state"] as? String == "completed")
            let (state, labels, audit) = try await world.withStore { tx, _ in
                (try tx.rotations(secretName: "app-token").first?.state,
                 try tx.versions(secretName: "app-token").map(\.label),
                 try tx.auditEvents(since: nil, until: nil, subject: "app-token", limit: nil))
            }
            #expect(state == .completed)
            #expect(labels.contains(.revoked) && labels.contains(.current))
            let manual = try #require(audit.first { $0.action == "step.revoke" && $0.outcome == "revoked-manually" })
            #expect(manual.actor == "cli:e2e-test")
            #expect(manual.reason == "revoked in the dashboard")
            #expect(manual.oldLast4 == String(old.suffix(4)))

            // Nothing is stuck any more: a tick is clean and the next rotation starts.
            #expect(try await world.run(["tick"]).status == 0)
            world.setRevokeFails(false)
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func resolveRetryRevokesNowOnceTheVendorAnswersAgain(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let (old, _) = try await Self.stalledRevoke(world)
            let stillFailing = try await world.run(["resolve", "app-token", "--retry"])
            #expect(stillFailing.status == 1, "\(stillFailing)")
            world.setRevokeFails(false)
            let retried = try await world.run(["resolve", "app-token", "--retry", "--json"])
            #expect(retried.status == 0, "\(retried)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(retried.stdout.utf8)) as? [String: Any])
            #expect(json["state"] as? String == "completed")
            #expect(try !world.isLive(old), "revoked at the vendor")
        }
    }

    @Test func resolveWithNothingStuckSaysSo() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let result = try await world.run(["resolve", "app-token", "--retry"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("no stuck rotation"), "\(result)")
        }
    }
}
