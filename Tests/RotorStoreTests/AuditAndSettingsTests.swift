import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Audit, settings and locks")
struct AuditAndSettingsTests {
    @Test(arguments: TestBackend.all)
    func auditEventsGetIncreasingIdsAndAreQueriedByTimeAndSubject(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let sparse = AuditEvent(at: t(50), subject: "key-1", subjectKind: "api_key", action: "key.revoked", actor: "alice", outcome: "success")
            let events = try await store.transaction { tx in
                [
                    try tx.appendAudit(Fixtures.audit("rotation.started", at: t(10))),
                    try tx.appendAudit(Fixtures.audit("rotation.completed", at: t(30))),
                    try tx.appendAudit(Fixtures.audit("rotation.started", subject: "github-token", at: t(20))),
                    try tx.appendAudit(sparse),
                ]
            }
            let ids = events.compactMap(\.id)
            #expect(ids.count == 4)
            #expect(ids == ids.sorted() && Set(ids).count == 4)
            #expect(events[3].id != nil)
            var expectedSparse = sparse
            expectedSparse.id = events[3].id
            #expect(events[3] == expectedSparse)

            let all = try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            #expect(all == [events[0], events[2], events[1], events[3]])
            #expect(try await store.transaction { try $0.auditEvents(since: t(20), until: t(50), subject: nil, limit: nil) } == [events[2], events[1]])
            #expect(try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: "openai-api-key", limit: nil) } == [events[0], events[1]])
            #expect(try await store.transaction { try $0.auditEvents(since: t(11), until: nil, subject: "openai-api-key", limit: 5) } == [events[1]])
            #expect(try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: 2) } == [events[0], events[2]])
        }
    }

    @Test(arguments: TestBackend.all)
    func settingsStoreBytesAndOverwrite(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.transaction { try $0.setting("pepper") } == nil)
            try await store.transaction { try $0.setSetting("pepper", [0, 1, 2, 0xFF]) }
            #expect(try await store.transaction { try $0.setting("pepper") } == [0, 1, 2, 0xFF])
            try await store.transaction { try $0.setSetting("pepper", []) }
            #expect(try await store.transaction { try $0.setting("pepper") } == [])
        }
    }

    @Test(arguments: TestBackend.all)
    func aNamedLockIsHeldByOneOwnerUntilReleasedOrExpired(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            #expect(try await store.transaction { try $0.acquireLock(name: "leader", owner: "a", until: t(30), now: t(0)) } == 1)
            #expect(try await store.transaction { try $0.acquireLock(name: "leader", owner: "b", until: t(40), now: t(10)) } == nil)
            #expect(try await store.transaction { try $0.acquireLock(name: "leader", owner: "a", until: t(60), now: t(20)) } == 2)
            #expect(try await store.transaction { try $0.acquireLock(name: "other", owner: "b", until: t(60), now: t(20)) } == 1)
            // Expired: b takes over.
            #expect(try await store.transaction { try $0.acquireLock(name: "leader", owner: "b", until: t(120), now: t(60)) } == 3)
            // a's release of a lock it no longer holds changes nothing.
            try await store.transaction { try $0.releaseLock(name: "leader", owner: "a") }
            #expect(try await store.transaction { try $0.acquireLock(name: "leader", owner: "a", until: t(130), now: t(70)) } == nil)
            try await store.transaction { try $0.releaseLock(name: "leader", owner: "b") }
            #expect(try await store.transaction { try $0.acquireLock(name: "leader", owner: "a", until: t(140), now: t(80)) } == 4)
        }
    }
}
