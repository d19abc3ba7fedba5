import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Rotations, leases and the journal")
struct RotationTests {
    @Test(arguments: TestBackend.all)
    func rotationsAreInsertedReadUpdatedAndListed(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let done = RotationRecord(
                id: "r1", secretName: "openai-api-key", trigger: .manual, actor: "alice", reason: "quarterly", state: .completed,
                oldVersionID: "v0", newVersionID: "v1", graceEndsAt: t(day), revokeImmediately: true, leaseOwner: nil,
                leaseExpiresAt: nil, fence: 3, error: nil, createdAt: t(0), updatedAt: t(day), completedAt: t(day)
            )
            var running = Fixtures.rotation("r2", state: .propagating, at: t(2 * day))
            try await store.transaction { [running] tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.upsertSecret(Fixtures.secret("github-token"))
                try tx.insertRotation(done)
                try tx.insertRotation(running)
                try tx.insertRotation(Fixtures.rotation("r3", of: "github-token", state: .grace, at: t(3 * day)))
            }
            #expect(try await store.transaction { try $0.rotation(id: "r1") } == done)
            #expect(try await store.transaction { try $0.rotation(id: "zz") } == nil)
            #expect(try await store.transaction { try $0.rotations(secretName: "openai-api-key") } == [running, done])
            #expect(try await store.transaction { try $0.activeRotation(secretName: "openai-api-key") } == running)
            #expect(try await store.transaction { try $0.activeRotations().map(\.id) } == ["r2", "r3"])
            #expect(try await store.transaction { try $0.rotations(states: [.completed, .grace]).map(\.id) } == ["r1", "r3"])
            #expect(try await store.transaction { try $0.rotations(states: []) } == [])

            running.state = .rollingBack
            running.error = "check api-health failed: HTTP 401"
            running.updatedAt = t(2 * day + hour)
            try await store.transaction { [running] in try $0.updateRotation(running) }
            #expect(try await store.transaction { try $0.rotation(id: "r2") } == running)

            running.state = .rolledBack
            running.completedAt = t(2 * day + 2 * hour)
            try await store.transaction { [running] in try $0.updateRotation(running) }
            #expect(try await store.transaction { try $0.activeRotation(secretName: "openai-api-key") } == nil)

            let ghost = Fixtures.rotation("ghost")
            let error = await #expect(throws: StoreError.self) { try await store.transaction { try $0.updateRotation(ghost) } }
            #expect(error?.code == .notFound)
        }
    }

    @Test(arguments: TestBackend.all)
    func aSecondActiveRotationForOneSecretIsRefusedNamingTheActiveOne(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("old", state: .failed, at: t(0)))
                try tx.insertRotation(Fixtures.rotation("r1", state: .verifying, at: t(1)))
            }
            let error = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.insertRotation(Fixtures.rotation("r2", state: .generating, at: t(2))) }
            }
            #expect(error == .activeRotationExists(rotationID: "r1"))
            #expect(error?.activeRotationID == "r1")

            // Reviving a finished rotation while another is active is refused too.
            let revived = Fixtures.rotation("old", state: .rollingBack, at: t(3))
            let update = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.updateRotation(revived) }
            }
            #expect(update == .activeRotationExists(rotationID: "r1"))

            // Inactive rotations do not count, and once r1 finishes a new one may start.
            try await store.transaction { try $0.insertRotation(Fixtures.rotation("skip", state: .rolledBack, at: t(4))) }
            var finished = Fixtures.rotation("r1", state: .completed, at: t(1))
            finished.completedAt = t(5)
            try await store.transaction { [finished] tx in
                try tx.updateRotation(finished)
                try tx.insertRotation(Fixtures.rotation("r3", state: .generating, at: t(6)))
            }
            #expect(try await store.transaction { try $0.activeRotation(secretName: "openai-api-key")?.id } == "r3")

            let duplicate = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.insertRotation(Fixtures.rotation("skip", state: .completed, at: t(7))) }
            }
            #expect(duplicate?.code == .constraintViolation)
        }
    }

    @Test(arguments: TestBackend.all)
    func concurrentStartsOfOneSecretLeaveExactlyOneActiveRotation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            try await store.transaction { try $0.upsertSecret(Fixtures.secret()) }
            let other = try await database.open()
            let outcomes = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<8 {
                    let daemon = index.isMultiple(of: 2) ? store : other
                    group.addTask {
                        do {
                            try await daemon.transaction { try $0.insertRotation(Fixtures.rotation("r\(index)", at: t(Double(index)))) }
                            return "r\(index)"
                        } catch let error as StoreError where error.code == .activeRotationExists {
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            await other.close()
            #expect(outcomes.count == 1)
            #expect(try await store.transaction { try $0.activeRotations().map(\.id) } == outcomes)
        }
    }

    @Test(arguments: TestBackend.all)
    func claimRotationGivesTheLeaseToOneOwnerAndAnExpiredLeaseToTheNext(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("r1", state: .generating))
            }
            let first = try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-a", until: t(60), now: t(0)) }
            #expect(first?.leaseOwner == "daemon-a")
            #expect(first?.leaseExpiresAt == t(60))
            #expect(first?.fence == 1)
            #expect(try await store.transaction { try $0.rotation(id: "r1") } == first)

            // Held by a, not expired: b gets nothing, and nothing changes.
            #expect(try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-b", until: t(90), now: t(30)) } == nil)
            #expect(try await store.transaction { try $0.rotation(id: "r1") } == first)

            // a renews its own lease.
            let renewed = try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-a", until: t(120), now: t(50)) }
            #expect(renewed?.fence == 2)
            #expect(renewed?.leaseExpiresAt == t(120))

            // a stops renewing; once the lease expires b takes over with a higher fence.
            let takeover = try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-b", until: t(200), now: t(120)) }
            #expect(takeover?.leaseOwner == "daemon-b")
            #expect(takeover?.fence == 3)
            #expect(try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-a", until: t(300), now: t(150)) } == nil)

            #expect(try await store.transaction { try $0.claimRotation(id: "missing", owner: "daemon-a", until: t(60), now: t(0)) } == nil)
        }
    }

    @Test(arguments: TestBackend.all)
    func concurrentClaimersOfOneRotationHaveExactlyOneWinner(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("r1", state: .generating))
            }
            let other = try await database.open()
            let winners = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in 0..<10 {
                    let daemon = index.isMultiple(of: 2) ? store : other
                    group.addTask {
                        try await daemon.transaction { try $0.claimRotation(id: "r1", owner: "daemon-\(index)", until: t(60), now: t(0)) }?.leaseOwner
                    }
                }
                return try await group.reduce(into: [String]()) { if let owner = $1 { $0.append(owner) } }
            }
            await other.close()
            #expect(winners.count == 1)
            let stored = try await store.transaction { try $0.rotation(id: "r1") }
            #expect(stored?.leaseOwner == winners.first)
            #expect(stored?.fence == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func theJournalNumbersStepsPerRotationAndReadsThemBackInOrder(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("r1", state: .completed, at: t(0)))
                try tx.insertRotation(Fixtures.rotation("r2", state: .propagating, at: t(1)))
            }
            let written = try await store.transaction { tx in
                [
                    try tx.appendJournal(rotationID: "r1", step: "generate", phase: .started, detail: nil, at: t(10)),
                    try tx.appendJournal(rotationID: "r1", step: "generate", phase: .succeeded, detail: #"{"handle":"k-9"}"#, at: t(11)),
                    try tx.appendJournal(rotationID: "r2", step: "propagate:2", phase: .started, detail: nil, at: t(12)),
                    try tx.appendJournal(rotationID: "r1", step: "undo:propagate:2", phase: .failed, detail: #"{"status":502}"#, at: t(13)),
                ]
            }
            #expect(written.map(\.seq) == [1, 2, 1, 3])
            #expect(try await store.transaction { try $0.journal(rotationID: "r1") } == [written[0], written[1], written[3]])
            #expect(try await store.transaction { try $0.journal(rotationID: "r2") } == [written[2]])

            let error = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.appendJournal(rotationID: "nope", step: "x", phase: .started, detail: nil, at: t(0)) }
            }
            #expect(error?.code == .notFound)
        }
    }
}
