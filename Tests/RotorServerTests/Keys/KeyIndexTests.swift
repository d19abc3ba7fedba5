import Foundation
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorStore
import RotorTestSupport
import Testing

/// The in-memory key index behind `POST /v1/keys/verify`, on SQLite and PostgreSQL: it answers without the
/// store, ends grace by the clock, keeps the uses it saw until they are written, and writes them all when it stops.
@Suite("Key index", .serialized)
struct KeyIndexTests {
    enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// An app on a store of its own, its key table, and the same table indexed.
    struct World {
        let app: RotorApp
        let clock: TestClock
        let plain: KeyTable
        let indexed: KeyTable
        let cleanup: @Sendable () async -> Void

        var index: KeyIndex { indexed.index! }

        static func make(_ backend: Backend, alertChannels: [String] = [], flushInterval: Duration = .seconds(3600)) async throws -> World {
            let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-index-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            var storeURL = "sqlite:\(home)/rotor.db"
            var database: String?
            if backend == .postgres {
                let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_index")
                storeURL = try await PostgresTestServer.required().createDatabase(named: name)
                database = name
            }
            let clock = TestClock(Date(timeIntervalSince1970: 1_780_000_000))
            var logger = Logger(label: "rotor.index.tests")
            logger.logLevel = .error
            let app = try await RotorApp.open(RotorApp.Options(home: home, storeURL: storeURL, environment: [:], clock: clock,
                                                               logger: logger, keyring: MasterKeyring(current: MasterKey.random())))
            let plain = app.keyTable(policy: KeyTablePolicy())
            let feed = try await openAPIKeyChangeFeed(url: try StoreURL(parsing: storeURL))
            let indexed = try await plain.indexed(feed: feed, alertChannels: alertChannels, flushInterval: flushInterval)
            return World(app: app, clock: clock, plain: plain, indexed: indexed) { [database] in
                await feed.close()
                await app.close()
                if let database { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: database) }
                try? FileManager.default.removeItem(atPath: home)
            }
        }

        func key(_ id: String) async throws -> APIKeyRecord { try #require(try await plain.key(id: id)) }
    }

    @Test(arguments: Backend.allCases)
    func verificationNeedsNoStoreOnceLoaded(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        let (active, activeKey) = try await world.indexed.create(org: "acme", name: "a", scopes: ["read"], rateLimit: 5, actor: "t")
        let (revoked, revokedKey) = try await world.indexed.create(org: "acme", name: "b", scopes: [], rateLimit: nil, actor: "t")
        _ = try await world.indexed.revoke(id: revoked.id, reason: "test", actor: "t")
        let expected = try await world.plain.verify(activeKey.revealed)
        await world.cleanup()

        // The store is closed: every answer still comes, from memory, the same as the store gave.
        #expect(try await world.indexed.verify(activeKey.revealed) == expected)
        #expect(expected.valid && expected.keyID == active.id && expected.scopes == ["read"] && expected.rateLimit == 5)
        #expect(try await world.indexed.verify(revokedKey.revealed).reason == .revoked)
        #expect(try await world.indexed.verify(KeyTableTestKeys.wellFormedUnknown()).reason == .unknown)
        #expect(try await world.indexed.verify("rk_live_short").reason == .badFormat)
    }

    @Test(arguments: Backend.allCases)
    func graceAndExpiryEndByTheClockWithoutAReload(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.cleanup() }) {
            let (record, old) = try await world.indexed.create(org: "acme", name: "a", scopes: [], rateLimit: nil, actor: "t",
                                                               expiresAt: world.clock.now.addingTimeInterval(7200))
            let rotation = try await world.indexed.rotate(id: record.id, grace: .seconds(3600), trigger: .manual, actor: "t",
                                                          reason: nil, deliverByPickup: false)
            let new = try #require(rotation.newKey)
            #expect(world.index.check(old.revealed).verification.status == .grace)
            // Nobody writes anything: the clock alone ends the grace.
            world.clock.advance(by: 3601)
            #expect(world.index.check(old.revealed).verification.reason == .revoked)
            #expect(world.index.check(new.revealed).valid)
        }
    }

    @Test(arguments: Backend.allCases)
    func usesHeldInMemoryAreAllWrittenWhenTheIndexStops(_ backend: Backend) async throws {
        let world = try await World.make(backend, alertChannels: ["security"])
        try await withCleanup({ await world.cleanup() }) {
            let (record, key) = try await world.plain.create(org: "acme", name: "a", scopes: [], rateLimit: nil, actor: "t")
            let (gone, goneKey) = try await world.plain.create(org: "acme", name: "b", scopes: [], rateLimit: nil, actor: "t")
            _ = try await world.plain.revoke(id: gone.id, reason: "leaked", actor: "t")
            // The index runs with a flush interval far longer than the test: only the stop can write the uses.
            let running = Task { await world.index.run() }
            try await eventually("the index sees the revocation by the other table") {
                world.index.check(goneKey.revealed).verification.reason == .revoked
            }
            #expect(world.index.check(key.revealed).valid)
            for _ in 0..<2 { #expect(world.index.check(goneKey.revealed).verification.reason == .revoked) }
            #expect(try await world.key(record.id).lastUsedAt == nil)
            #expect(try await world.key(gone.id).oldKeyUses == 0)

            running.cancel()
            await running.value
            #expect(try await world.key(record.id).lastUsedAt == world.clock.now)
            let old = try await world.key(gone.id)
            #expect(old.oldKeyUses == 3)
            let notices = try await world.app.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 10) }
            #expect(notices.filter { $0.kind == "old_key_used" }.map(\.channel).sorted() == ["outbox", "security"])
        }
    }

    @Test(arguments: Backend.allCases)
    func anOldKeyAlertsOncePerDayHoweverManyBatches(_ backend: Backend) async throws {
        let world = try await World.make(backend, alertChannels: ["security"])
        try await withCleanup({ await world.cleanup() }) {
            let (gone, goneKey) = try await world.indexed.create(org: "acme", name: "b", scopes: [], rateLimit: nil, actor: "t")
            _ = try await world.indexed.revoke(id: gone.id, reason: "leaked", actor: "t")
            func oldKeyNotices() async throws -> [NotificationRecord] {
                try await world.app.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 100) }
                    .filter { $0.kind == "old_key_used" }
            }
            for batch in 0..<3 {
                world.clock.advance(by: 3600)
                #expect(world.index.check(goneKey.revealed).verification.reason == .revoked, "batch \(batch)")
                await world.index.flush()
            }
            #expect(try await oldKeyNotices().count == 2)
            #expect(try await world.key(gone.id).oldKeyUses == 3)
            // The next day: told again.
            world.clock.advance(by: 86_400)
            _ = world.index.check(goneKey.revealed)
            await world.index.flush()
            #expect(try await oldKeyNotices().count == 4)
            #expect(try await oldKeyNotices().allSatisfy { !$0.body.contains(goneKey.revealed) && !$0.subject.contains(goneKey.revealed) })
        }
    }
}

enum KeyTableTestKeys {
    /// A key with a correct checksum that was never issued.
    static func wellFormedUnknown() -> String {
        let body = APIKeyFormat.prefix + String(repeating: "Q", count: APIKeyFormat.randomLength)
        return body + Base62.encode(CRC32.checksum(Array(body.utf8)), width: APIKeyFormat.checksumLength)
    }
}

/// The allocation-free format check decides exactly as the key's definition says: prefix, 32 base-62
/// characters, and the base-62 CRC-32 of the rest in the last 6.
@Suite("Key format check")
struct KeyFormatCheckTests {
    @Test func everyGeneratedKeyPassesAndEveryOneCharacterChangeIsCaught() {
        let alphabet = Array(Base62.alphabet.utf8)
        for _ in 0..<300 {
            let key = Array(APIKeyFormat.generate().utf8)
            #expect(key.withUnsafeBytes { APIKeyFormat.check(utf8: $0) } == nil)
            let position = Int.random(in: 8..<key.count)
            var changed = key
            changed[position] = alphabet.filter { $0 != key[position] }.randomElement()!
            let body = String(decoding: changed[..<40], as: UTF8.self)
            let stillValid = Base62.encode(CRC32.checksum(Array(body.utf8)), width: 6) == String(decoding: changed[40...], as: UTF8.self)
            #expect(changed.withUnsafeBytes { APIKeyFormat.check(utf8: $0) } == (stillValid ? nil : .badChecksum))
            changed[position] = UInt8(ascii: "-")
            #expect(changed.withUnsafeBytes { APIKeyFormat.check(utf8: $0) } == .badFormat)
        }
        for bad in ["", "rk_live_", "rk_test_" + String(repeating: "0", count: 38), String(repeating: "z", count: 46),
                    "rk_live_" + String(repeating: "0", count: 37) + "é"] {
            #expect(APIKeyFormat.check(bad) == .badFormat, "\(bad)")
        }
        // The largest checksum value (6 × 'z' is more than any CRC-32) is a bad checksum, not an overflow.
        let maxed = "rk_live_" + String(repeating: "A", count: 32) + "zzzzzz"
        #expect(APIKeyFormat.check(maxed) == .badChecksum)
    }
}
