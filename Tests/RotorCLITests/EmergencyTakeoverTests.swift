import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// `rotor emergency` takes over whatever the secret is doing: it revokes the old value of a rotation in grace,
/// rolls back a rotation in flight before rotating, and refuses what it cannot make safe.
@Suite("Emergency takes over", .serialized)
struct EmergencyTakeoverTests {
    @Test(arguments: Backend.allCases)
    func anEmergencyDuringGraceRevokesTheOldValueAtTheVendorNow(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
            #expect(try world.isLive(old))
            let result = try await world.run(["emergency", "app-token", "--reason", "the old key was in a log"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("revoked at the vendor now"), "\(result)")
            #expect(try !world.isLive(old), "revoked without waiting for the grace end")
            let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
            #expect(rotations.map(\.state) == [.completed])
        }
    }

    @Test(arguments: Backend.allCases)
    func anEmergencyDuringARotationInFlightRollsItBackThenRotates(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let crashed = try await world.run(["rotate", "app-token"], env: ["ROTOR_FAULT": "crash-after:propagate:0"])
            #expect(crashed.status == 137, "\(crashed)")
            let inFlight = try #require(try world.fileValue())
            #expect(inFlight != old)

            let result = try await world.run(["emergency", "app-token", "--reason", "leaked mid-rotation"])
            #expect(result.status == 0, "\(result)")
            let rotations = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token") }
            #expect(rotations.map(\.state) == [.grace, .rolledBack], "\(rotations.map(\.state))")
            #expect(rotations.first?.trigger == .emergency)
            let new = try #require(try world.fileValue())
            #expect(new != old && new != inFlight)
            #expect(try world.isLive(new))
            #expect(try !world.isLive(inFlight), "the aborted rotation's value was revoked by its rollback")
        }
    }

    @Test(arguments: Backend.allCases)
    func anEmergencyRefusesARotationAnotherLiveProcessDrivesNamingIt(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token"], env: ["ROTOR_FAULT": "crash-after:propagate:0"]).status == 137)
            try await world.withStore { tx, _ in
                guard var rotation = try tx.activeRotation(secretName: "app-token") else { return }
                rotation.leaseOwner = "daemon-host-b:4242:abcdef"
                rotation.leaseExpiresAt = Date().addingTimeInterval(3600)
                try tx.updateRotation(rotation)
            }
            let result = try await world.run(["emergency", "app-token", "--reason", "leak"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("daemon-host-b:4242:abcdef"), "\(result)")
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").count } == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func anEmergencyOnASecretNeverImportedIsRefusedWithAHint(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let result = try await world.run(["emergency", "app-token", "--reason", "leak"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains("rotor import app-token"), "\(result)")
            #expect(try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").count } == 0)
            #expect(((try world.vendorJSON()["live"] as? [String: String]) ?? [:]).isEmpty, "nothing minted")
        }
    }

    @Test func revokeImmediatelyNeedsYesWhenNobodyCanConfirm() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let refused = try await world.run(["emergency", "app-token", "--reason", "leak", "--revoke-immediately"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("--yes"), "\(refused)")
            #expect(try world.isLive(old))
            let confirmed = try await world.run(["emergency", "app-token", "--reason", "leak", "--revoke-immediately", "--yes"])
            #expect(confirmed.status == 0, "\(confirmed)")
            #expect(try !world.isLive(old))
        }
    }
}
