import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// The change counter the servers' key indexes follow: raised once by every transaction that writes keys, read
/// with only the rows written since; announced on PostgreSQL.
@Suite("Key change feed")
struct KeyChangeFeedTests {
    @Test(arguments: TestBackend.all)
    func aReaderGetsEveryWrittenKeyOnceAndOnlyWhatChangedSince(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let feed = try await openAPIKeyChangeFeed(url: database.url)
            let empty = try await feed.changes(after: -1)
            #expect(empty.sequence == 0 && empty.keys.isEmpty)

            // Two keys in one transaction: one change.
            try await store.transaction { tx in
                try tx.insertAPIKey(Fixtures.apiKey(1))
                try tx.insertAPIKey(Fixtures.apiKey(2))
            }
            let all = try await feed.changes(after: -1)
            #expect(all.sequence == 1)
            #expect(Set(all.keys.map(\.record.id)) == [Fixtures.apiKey(1).id, Fixtures.apiKey(2).id])
            #expect(all.keys.allSatisfy { $0.sequence == 1 })

            // A revocation: only that key, stamped with the next change.
            let revoked = { var key = Fixtures.apiKey(2); key.status = .revoked; return key }()
            try await store.transaction { try $0.updateAPIKey(revoked) }
            let since = try await feed.changes(after: all.sequence)
            #expect(since.sequence == 2)
            #expect(since.keys.map(\.record) == [revoked])

            // Batched uses change nothing a verification decides on: no change, nothing to read.
            try await store.transaction { tx in
                try tx.touchAPIKeys([Fixtures.apiKey(1).id: t(60), "key-gone": t(60)])
                try tx.recordOldKeyUses(id: revoked.id, count: 3, at: t(61))
            }
            let quiet = try await feed.changes(after: since.sequence)
            #expect(quiet.sequence == 2 && quiet.keys.isEmpty)
            #expect(try await store.transaction { try $0.apiKey(id: Fixtures.apiKey(1).id)?.lastUsedAt } == t(60))
            // A use never moves the last use back.
            try await store.transaction { try $0.touchAPIKeys([Fixtures.apiKey(1).id: t(30)]) }
            #expect(try await store.transaction { try $0.apiKey(id: Fixtures.apiKey(1).id)?.lastUsedAt } == t(60))
            let old = try await store.transaction { try $0.apiKeysUsedWhenOld(limit: 10) }
            #expect(old.map(\.id) == [revoked.id] && old.first?.oldKeyUses == 3 && old.first?.oldKeyUsedAt == t(61))
            await feed.close()
        }
    }

    @Test(arguments: TestBackend.all)
    func postgresAnnouncesAChangeAndSQLiteIsPolled(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let feed = try await openAPIKeyChangeFeed(url: database.url)
            try await store.transaction { try $0.insertAPIKey(Fixtures.apiKey(1)) }
            let announced = await feed.waitForChange(timeout: backend == .postgres ? .seconds(60) : .milliseconds(10))
            #expect(announced == (backend == .postgres))
            // Nothing new: no announcement (the wait times out).
            #expect(await feed.waitForChange(timeout: .milliseconds(10)) == false)
            #expect(try await feed.changes(after: 0).keys.count == 1)
            await feed.close()
        }
    }

    @Test(arguments: TestBackend.all)
    func aTableLargerThanAPageIsReadWholeAndOnce(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            // More keys in one change than a page holds (2000), then more changes: pages break inside a change.
            try await store.transaction { tx in for index in 0..<2100 { try tx.insertAPIKey(Fixtures.apiKey(index)) } }
            for index in 2100..<2105 { try await store.transaction { try $0.insertAPIKey(Fixtures.apiKey(index)) } }
            let feed = try await openAPIKeyChangeFeed(url: database.url)
            let all = try await feed.changes(after: -1)
            #expect(all.keys.count == 2105 && Set(all.keys.map(\.record.id)).count == 2105)
            #expect(all.sequence == 6)
            #expect(try await feed.changes(after: 1).keys.count == 5)
            await feed.close()
        }
    }
}
