import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// Writes of a rotation are compare-and-set on lease owner and fence, and set only the columns they name: a
/// process whose lease was taken over writes nothing, and two writers never put back each other's columns.
@Suite("Fenced rotation writes")
struct FencedRotationTests {
    @Test(arguments: TestBackend.all)
    func aWriterWhoseLeaseWasTakenOverChangesNothing(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("r1", state: .generating))
            }
            let claimA = try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-a", until: t(60), now: t(0)) }
            let a = RotationLease(rotationID: "r1", owner: "daemon-a", fence: try #require(claimA).fence)
            try await store.transaction { tx in
                try tx.updateRotation(a, RotationChange(newVersionID: "v1"))
                try tx.updateRotation(a, RotationChange(state: .propagating, lease: .renew(until: t(90)), updatedAt: t(30)))
                try tx.appendJournal(a, step: "generate", phase: .succeeded, detail: nil, at: t(30))
            }
            let written = try #require(try await store.transaction { try $0.rotation(id: "r1") })
            #expect(written.newVersionID == "v1", "a change of the state leaves the other columns alone")
            #expect(written.state == .propagating && written.leaseExpiresAt == t(90))

            // a's lease lapses; b takes over with a higher fence and rolls back.
            let claimB = try await store.transaction { try $0.claimRotation(id: "r1", owner: "daemon-b", until: t(200), now: t(100)) }
            let b = RotationLease(rotationID: "r1", owner: "daemon-b", fence: try #require(claimB).fence)
            try await store.transaction { try $0.updateRotation(b, RotationChange(state: .rollingBack, error: .some("operator"))) }
            let taken = try await store.transaction { try $0.rotation(id: "r1") }
            let journal = try await store.transaction { try $0.journal(rotationID: "r1") }

            // a wakes up: every write of its lease is refused, with a distinct error, and changes nothing.
            for write in [
                { @Sendable (tx: any StoreTransaction) in try tx.updateRotation(a, RotationChange(state: .verifying)) },
                { @Sendable (tx: any StoreTransaction) in try tx.updateRotation(a, RotationChange(lease: .renew(until: t(400)))) },
                { @Sendable (tx: any StoreTransaction) in _ = try tx.appendJournal(a, step: "propagate:0", phase: .succeeded, detail: nil, at: t(150)) },
                { @Sendable (tx: any StoreTransaction) in try tx.requireLease(a) },
            ] {
                let error = await #expect(throws: StoreError.self) { try await store.transaction(write) }
                #expect(error?.code == .leaseLost)
                #expect(error?.lostRotationID == "r1")
            }
            // Same owner name, older fence (a restarted process that reused the name): refused too.
            let stale = RotationLease(rotationID: "r1", owner: "daemon-b", fence: b.fence - 1)
            await #expect(throws: StoreError.leaseLost(rotationID: "r1")) {
                try await store.transaction { try $0.updateRotation(stale, RotationChange(state: .verifying)) }
            }
            #expect(try await store.transaction { try $0.rotation(id: "r1") } == taken)
            #expect(try await store.transaction { try $0.journal(rotationID: "r1") } == journal)

            // b releases the lease when the rotation finishes; after that nobody's lease writes.
            try await store.transaction { try $0.updateRotation(b, RotationChange(state: .rolledBack, lease: .release, completedAt: t(210))) }
            let finished = try #require(try await store.transaction { try $0.rotation(id: "r1") })
            #expect(finished.leaseOwner == nil && finished.leaseExpiresAt == nil && finished.error == "operator")
            await #expect(throws: StoreError.leaseLost(rotationID: "r1")) { try await store.transaction { try $0.requireLease(b) } }
        }
    }

    @Test(arguments: TestBackend.all)
    func aFencedWriteCannotMakeASecondActiveRotation(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("old", state: .failed, at: t(0)))
                try tx.insertRotation(Fixtures.rotation("r1", state: .verifying, at: t(1)))
            }
            let claim = try await store.transaction { try $0.claimRotation(id: "old", owner: "daemon-a", until: t(60), now: t(0)) }
            let lease = RotationLease(rotationID: "old", owner: "daemon-a", fence: try #require(claim).fence)
            await #expect(throws: StoreError.activeRotationExists(rotationID: "r1")) {
                try await store.transaction { try $0.updateRotation(lease, RotationChange(state: .rollingBack)) }
            }
        }
    }
}
