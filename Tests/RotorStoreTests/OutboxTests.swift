import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Notification outbox")
struct OutboxTests {
    @Test(arguments: TestBackend.all)
    func enqueuingTheSameDedupeKeyTwiceKeepsOneNotification(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            var urgent = Fixtures.notification("n1", due: t(0), dedupe: "warn:openai-api-key:7d")
            urgent.urgent = true
            let first = try await store.transaction { [urgent] in try $0.enqueueNotification(urgent) }
            let second = try await store.transaction { try $0.enqueueNotification(Fixtures.notification("n2", due: t(1), dedupe: "warn:openai-api-key:7d")) }
            #expect(first)
            #expect(!second)
            #expect(try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 10) } == [urgent])
        }
    }

    @Test(arguments: TestBackend.all)
    func claimingLeasesDueNotificationsAndTakesBackExpiredLeases(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.enqueueNotification(Fixtures.notification("n1", due: t(0)))
                try tx.enqueueNotification(Fixtures.notification("n2", due: t(10)))
                try tx.enqueueNotification(Fixtures.notification("later", due: t(hour)))
            }
            let claimed = try await store.transaction { try $0.claimNotifications(now: t(20), owner: "a", leaseUntil: t(80), limit: 10) }
            #expect(claimed.map(\.id) == ["n1", "n2"])
            #expect(claimed.allSatisfy { $0.status == .sending && $0.leaseOwner == "a" && $0.leaseExpiresAt == t(80) && $0.attempts == 1 })
            let stored = try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 10) }
            #expect(Set(stored.filter { $0.id != "later" }.map { $0 }.map(\.id)) == ["n1", "n2"])
            #expect(stored.filter { $0.id != "later" }.sorted { $0.id < $1.id } == claimed)

            // Leased: nobody else gets them until the lease expires.
            #expect(try await store.transaction { try $0.claimNotifications(now: t(30), owner: "b", leaseUntil: t(90), limit: 10) } == [])
            let retaken = try await store.transaction { try $0.claimNotifications(now: t(80), owner: "b", leaseUntil: t(140), limit: 1) }
            #expect(retaken.map(\.id) == ["n1"])
            #expect(retaken.first?.attempts == 2)
            #expect(retaken.first?.leaseOwner == "b")
        }
    }

    @Test(arguments: TestBackend.all)
    func sentAndFailedAttemptsAreRecordedAndRetriedOrGivenUp(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.enqueueNotification(Fixtures.notification("ok", due: t(0)))
                try tx.enqueueNotification(Fixtures.notification("flaky", due: t(0)))
                try tx.enqueueNotification(Fixtures.notification("dead", due: t(0)))
            }
            _ = try await store.transaction { try $0.claimNotifications(now: t(0), owner: "a", leaseUntil: t(60), limit: 10) }
            try await store.transaction { tx in
                try tx.markNotificationSent(id: "ok", owner: "a", at: t(1))
                try tx.markNotificationFailed(id: "flaky", owner: "a", error: "HTTP 503 from hooks.slack.com", nextAttemptAt: t(300), at: t(2))
                try tx.markNotificationFailed(id: "dead", owner: "a", error: "HTTP 404 from hooks.slack.com", nextAttemptAt: nil, at: t(3))
            }
            let byID = Dictionary(uniqueKeysWithValues: try await store.transaction {
                try $0.notifications(org: nil, secretName: nil, limit: 10)
            }.map { ($0.id, $0) })
            #expect(byID["ok"]?.status == .sent)
            #expect(byID["ok"]?.sentAt == t(1))
            #expect(byID["ok"]?.leaseOwner == nil)
            #expect(byID["flaky"]?.status == .pending)
            #expect(byID["flaky"]?.nextAttemptAt == t(300))
            #expect(byID["flaky"]?.lastError == "HTTP 503 from hooks.slack.com")
            #expect(byID["flaky"]?.leaseOwner == nil)
            #expect(byID["dead"]?.status == .failed)
            #expect(byID["dead"]?.lastError == "HTTP 404 from hooks.slack.com")

            // Only the retry comes back, and only when it is due.
            #expect(try await store.transaction { try $0.claimNotifications(now: t(299), owner: "a", leaseUntil: t(360), limit: 10) } == [])
            let retry = try await store.transaction { try $0.claimNotifications(now: t(300), owner: "a", leaseUntil: t(360), limit: 10) }
            #expect(retry.map(\.id) == ["flaky"])
            #expect(retry.first?.attempts == 2)

            let error = await #expect(throws: StoreError.self) { try await store.transaction { try $0.markNotificationSent(id: "nope", owner: "a", at: t(0)) } }
            #expect(error?.code == .notFound)
        }
    }

    @Test(arguments: TestBackend.all)
    func aDeliveryThatOutlivedItsLeaseCannotOverwriteTheNewOwnersState(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            _ = try await store.transaction { try $0.enqueueNotification(Fixtures.notification("n1", due: t(0))) }
            _ = try await store.transaction { try $0.claimNotifications(now: t(0), owner: "a", leaseUntil: t(60), limit: 1) }
            // a's delivery hangs past its lease; b takes the row over.
            let retaken = try await store.transaction { try $0.claimNotifications(now: t(60), owner: "b", leaseUntil: t(120), limit: 1) }
            #expect(retaken.map(\.id) == ["n1"])
            func row() async throws -> NotificationRecord? {
                try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 10) }.first
            }

            // a's late failure would schedule a second send and drop b's lease; it is refused and nothing changes.
            let failed = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.markNotificationFailed(id: "n1", owner: "a", error: "timeout", nextAttemptAt: t(400), at: t(70)) }
            }
            #expect(failed?.code == .leaseLost)
            #expect(try await row()?.status == .sending)
            #expect(try await row()?.leaseOwner == "b")

            // b fails for a retry; a's late success cannot turn b's record into "sent" either.
            try await store.transaction { try $0.markNotificationFailed(id: "n1", owner: "b", error: "HTTP 503", nextAttemptAt: t(300), at: t(80)) }
            let sent = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.markNotificationSent(id: "n1", owner: "a", at: t(90)) }
            }
            #expect(sent?.code == .leaseLost)
            #expect(try await row()?.status == .pending)
            #expect(try await row()?.lastError == "HTTP 503")
            #expect(try await row()?.sentAt == nil)
        }
    }

    @Test(arguments: TestBackend.all)
    func notificationsAreListedNewestFirstByOrgAndSecret(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.enqueueNotification(Fixtures.notification("a1", due: t(1), org: "acme", secret: "s1"))
                try tx.enqueueNotification(Fixtures.notification("a2", due: t(2), org: "acme", secret: "s2"))
                try tx.enqueueNotification(Fixtures.notification("g1", due: t(3), org: "globex", secret: "s1"))
                try tx.enqueueNotification(Fixtures.notification("sys", due: t(4), org: nil, secret: nil))
            }
            #expect(try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 10).map(\.id) } == ["sys", "g1", "a2", "a1"])
            #expect(try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 2).map(\.id) } == ["sys", "g1"])
            #expect(try await store.transaction { try $0.notifications(org: "acme", secretName: nil, limit: 10).map(\.id) } == ["a2", "a1"])
            #expect(try await store.transaction { try $0.notifications(org: nil, secretName: "s1", limit: 10).map(\.id) } == ["g1", "a1"])
            #expect(try await store.transaction { try $0.notifications(org: "acme", secretName: "s1", limit: 10).map(\.id) } == ["a1"])
        }
    }
}
