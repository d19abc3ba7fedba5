import Foundation
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// `kill -9` at every journal boundary of every step (ROTOR_FAULT makes the process `_exit(137)` there),
/// then `rotor tick`: the rotation is finished or rolled back, and every invariant holds.
@Suite("Crash safety", .serialized)
struct CrashSafetyTests {
    static let points = ["crash-before", "crash-after-effect", "crash-after"]
    static let rotateSteps = ["generate", "propagate:0", "verify:0", "promote"]

    static var rotateCases: [String] { points.flatMap { point in rotateSteps.map { "\(point):\($0)" } } }
    static var revokeCases: [String] { points.map { "\($0):revoke" } }

    @Test(arguments: Backend.allCases, rotateCases)
    func aCrashDuringRotateIsFinishedOrRolledBackByTick(_ backend: Backend, fault: String) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()

            let crashed = try await world.run(["rotate", "app-token"], env: ["ROTOR_FAULT": fault])
            #expect(crashed.status == 137, "the process must die at \(fault): \(crashed)")
            try await Self.checkInvariants(world, old: old, settled: false)

            let tick = try await world.run(["tick"])
            #expect(tick.status == 0, "\(tick)")
            let state = try await Self.checkInvariants(world, old: old, settled: true)
            #expect([.grace, .rolledBack].contains(state), "after tick: \(String(describing: state))")

            // And the rotation can be carried to its end.
            let late = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))])
            #expect(late.status == 0, "\(late)")
            let final = try await Self.checkInvariants(world, old: old, settled: true)
            #expect([.completed, .rolledBack].contains(final))
            if final == .completed { #expect(try !world.isLive(old), "old revoked after grace") }
        }
    }

    @Test(arguments: Backend.allCases, revokeCases)
    func aCrashDuringRevokeIsFinishedByTheNextTick(_ backend: Backend, fault: String) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
            let later = ISO8601.string(Date().addingTimeInterval(2 * 3600))
            let crashed = try await world.run(["tick", "--now", later], env: ["ROTOR_FAULT": fault])
            #expect(crashed.status == 137, "\(crashed)")
            try await Self.checkInvariants(world, old: old, settled: false)
            let tick = try await world.run(["tick", "--now", later])
            #expect(tick.status == 0, "\(tick)")
            #expect(try await Self.checkInvariants(world, old: old, settled: true) == .completed)
            #expect(try !world.isLive(old))
        }
    }

    /// A 2 s lease and a vendor that takes 4 s to mint: while `rotor rotate` waits for it, a second process runs
    /// `rotor tick` at every moment and tries to take the rotation over. The heartbeat keeps the lease, so there
    /// is only ever one writer: the rotate succeeds, the vendor minted once, and every invariant holds.
    @Test(arguments: Backend.allCases)
    func aLeaseOutlivesAStepSlowerThanItsTTL(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            try "4".write(toFile: world.slowMintFile, atomically: true, encoding: .utf8)
            let lease = ["ROTOR_LEASE_TTL": "2"]
            let rotate = Task { try await world.run(["rotate", "app-token"], env: lease) }
            var ticks = 0
            while ticks < 300 {
                let tick = try await world.run(["tick"], env: lease)
                #expect(tick.status == 0, "\(tick)")
                ticks += 1
                let state = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state }
                if let state, !state.isActive || state == .grace { break }
            }
            let rotated = try await rotate.value
            #expect(rotated.status == 0, "\(rotated)")
            #expect(ticks > 1, "a second process tried to take over while the mint was slow")
            let minted = try world.vendorJSON()["minted"] as? [String: String] ?? [:]
            #expect(minted.count == 1, "one writer, one mint: \(minted.count)")
            #expect(try await Self.checkInvariants(world, old: old, settled: true) == .grace)
        }
    }

    /// The invariants of ../shared/DESIGN.md, checked against the store, the target file and the vendor.
    @discardableResult
    static func checkInvariants(_ world: World, old: String, settled: Bool) async throws -> RotationState? {
        let snapshot = try await world.withStore { tx, sealer -> ([(SecretVersionRecord, String)], RotationRecord?, [JournalEntry]) in
            let versions = try tx.versions(secretName: "app-token").map { ($0, try World.open($0, sealer)) }
            let rotation = try tx.rotations(secretName: "app-token").first
            return (versions, rotation, try rotation.map { try tx.journal(rotationID: $0.id) } ?? [])
        }
        let (versions, rotation, journal) = snapshot
        let fileValue = try #require(try world.fileValue())

        // Exactly one current version.
        #expect(versions.filter { $0.0.label == .current }.count == 1)
        // The target holds a credential its source accepts, and one Rotor has stored (sealed) — never a lost value.
        #expect(try world.isLive(fileValue), "the file holds a value the vendor accepts")
        #expect(versions.contains { $0.1 == fileValue }, "the file's value is stored in Rotor")
        // Nothing revoked while a target may use it; the old value lives until every check passed and grace ended.
        for (version, value) in versions where version.label == .revoked {
            #expect(value != fileValue)
        }
        // Revocation of the old value only begins in `revoking`, after grace.
        if let rotation, ![.revoking, .completed].contains(rotation.state) {
            #expect(try world.isLive(old), "old revoked before its revocation began (\(rotation.state))")
        }
        if settled {
            let current = try #require(versions.first { $0.0.label == .current })
            #expect(current.1 == fileValue, "after a pass the file holds the current version")
            #expect(rotation.map { !$0.state.isActive || $0.state == .grace } ?? true, "nothing left half-done: \(String(describing: rotation?.state))")
            // Every journaled step has an outcome.
            var open: Set<String> = []
            for entry in journal where RotationStep(key: entry.step) != nil {
                if entry.phase == .started { open.insert(entry.step) } else { open.remove(entry.step) }
            }
            #expect(open.isEmpty, "steps without an outcome: \(open.sorted())")
            // A failed (rolled back) new version is not live at the vendor.
            for (version, value) in versions where version.label == .failed {
                #expect(try !world.isLive(value))
            }
        }
        return rotation?.state
    }
}
