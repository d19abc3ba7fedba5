import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Key pickups and reply tokens")
struct PickupAndReplyTokenTests {
    private static func pickup(_ id: String, old: String, sealed: [UInt8], at time: Date, expires: Date) -> KeyPickupRecord {
        KeyPickupRecord(id: id, newKeyID: "new-\(old)", oldKeyID: old, sealedKey: sealed, masterKeyID: "mk-1", createdAt: time, expiresAt: expires)
    }

    @Test(arguments: TestBackend.all)
    func aPickupIsHandedOutUntilClaimedAndThenWiped(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let older = Self.pickup("p0", old: "key-1", sealed: [1, 1, 1], at: t(0), expires: t(day))
            let newest = Self.pickup("p1", old: "key-1", sealed: [0xDE, 0xAD, 0xBE, 0xEF, 0], at: t(10), expires: t(day))
            try await store.transaction { tx in
                try tx.insertPickup(older)
                try tx.insertPickup(newest)
            }
            #expect(try await store.transaction { try $0.pickup(oldKeyID: "key-1") } == newest)
            #expect(try await store.transaction { try $0.pickup(oldKeyID: "key-2") } == nil)

            _ = try await store.transaction { try $0.wipePickup(id: "p1", claimedAt: t(60)) }
            #expect(try await store.transaction { try $0.pickup(oldKeyID: "key-1") } == older)
            _ = try await store.transaction { try $0.wipePickup(id: "p0", claimedAt: t(61)) }
            #expect(try await store.transaction { try $0.pickup(oldKeyID: "key-1") } == nil)

            let wiped = try await rawRows(store, "SELECT id, sealed_key, claimed_at FROM key_pickups ORDER BY id")
            #expect(try wiped.map { try $0.blob("sealed_key") } == [[], []])
            #expect(try wiped.map { try $0.optionalInt64("claimed_at") } == [t(61), t(60)].map { Int64($0.timeIntervalSince1970 * 1000) })

            let error = await #expect(throws: StoreError.self) { try await store.transaction { try $0.wipePickup(id: "nope", claimedAt: t(0)) } }
            #expect(error?.code == .notFound)
        }
    }

    @Test(arguments: TestBackend.all)
    func ofTwoClaimsThatReadTheSameSlotOnlyTheFirstWipesIt(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { try $0.insertPickup(Self.pickup("p1", old: "key-1", sealed: [1, 2, 3], at: t(0), expires: t(day))) }
            // Both claims found the slot unclaimed; the first wipe wins, the second changes nothing.
            let slot = try #require(try await store.transaction { try $0.pickup(oldKeyID: "key-1") })
            #expect(try await store.transaction { try $0.wipePickup(id: slot.id, claimedAt: t(60)) })
            #expect(try await store.transaction { try $0.wipePickup(id: slot.id, claimedAt: t(61)) } == false)
            let rows = try await rawRows(store, "SELECT claimed_at FROM key_pickups WHERE id = 'p1'")
            #expect(try rows.map { try $0.optionalInt64("claimed_at") } == [Int64(t(60).timeIntervalSince1970 * 1000)])
        }
    }

    @Test(arguments: TestBackend.all)
    func expiredUnclaimedPickupsAreWipedOnce(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                try tx.insertPickup(Self.pickup("expired", old: "key-1", sealed: [1, 2], at: t(0), expires: t(hour)))
                try tx.insertPickup(Self.pickup("fresh", old: "key-2", sealed: [3, 4], at: t(0), expires: t(day)))
                try tx.insertPickup(Self.pickup("claimed", old: "key-3", sealed: [5, 6], at: t(0), expires: t(hour)))
                try tx.wipePickup(id: "claimed", claimedAt: t(10))
            }
            #expect(try await store.transaction { try $0.wipeExpiredPickups(now: t(hour)) } == 1)
            #expect(try await store.transaction { try $0.wipeExpiredPickups(now: t(hour)) } == 0)
            #expect(try await store.transaction { try $0.pickup(oldKeyID: "key-1") } == nil)
            #expect(try await store.transaction { try $0.pickup(oldKeyID: "key-2") }?.sealedKey == [3, 4])
        }
    }

    @Test(arguments: TestBackend.all)
    func replyTokensAreFoundByHashOrCodeHashAndUsedOnce(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let link = ReplyTokenRecord(
                id: "tok-1", tokenHash: Fixtures.keyHash(1), codeHash: Fixtures.keyHash(4821), secretName: "openai-api-key", action: "skip",
                createdAt: t(0), expiresAt: t(7 * day)
            )
            let noCode = ReplyTokenRecord(
                id: "tok-2", tokenHash: Fixtures.keyHash(2), codeHash: nil, secretName: "openai-api-key", action: "rotate-now",
                createdAt: t(0), expiresAt: t(7 * day)
            )
            let noCode2 = ReplyTokenRecord(
                id: "tok-3", tokenHash: Fixtures.keyHash(3), codeHash: nil, secretName: "github-token", action: "skip",
                createdAt: t(0), expiresAt: t(7 * day)
            )
            try await store.transaction { tx in
                try tx.insertReplyToken(link)
                try tx.insertReplyToken(noCode)
                try tx.insertReplyToken(noCode2)
            }
            #expect(try await store.transaction { try $0.replyToken(hash: Fixtures.keyHash(1)) } == link)
            #expect(try await store.transaction { try $0.replyToken(codeHash: Fixtures.keyHash(4821)) } == link)
            #expect(try await store.transaction { try $0.replyToken(hash: Fixtures.keyHash(2)) } == noCode)
            #expect(try await store.transaction { try $0.replyToken(codeHash: Fixtures.keyHash(0)) } == nil)

            #expect(try await store.transaction { try $0.markReplyTokenUsed(id: "tok-1", at: t(hour)) })
            #expect(try await store.transaction { try $0.markReplyTokenUsed(id: "tok-1", at: t(2 * hour)) } == false)
            #expect(try await store.transaction { try $0.replyToken(codeHash: Fixtures.keyHash(4821))?.usedAt } == t(hour))
            #expect(try await store.transaction { try $0.markReplyTokenUsed(id: "missing", at: t(hour)) } == false)

            let duplicateCode = ReplyTokenRecord(
                id: "tok-4", tokenHash: Fixtures.keyHash(4), codeHash: Fixtures.keyHash(4821), secretName: "x", action: "skip", createdAt: t(0), expiresAt: t(1)
            )
            let error = await #expect(throws: StoreError.self) { try await store.transaction { try $0.insertReplyToken(duplicateCode) } }
            #expect(error?.code == .constraintViolation)
        }
    }
}
