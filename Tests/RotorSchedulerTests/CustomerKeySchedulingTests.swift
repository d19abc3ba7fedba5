import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorTestSupport
import Testing

/// Customer keys against their age limit: rotated before max_age, a key still in use keeps working past its
/// grace (up to max_grace), and a pass costs what is due, not the size of the table.
@Suite("Customer key scheduling", .serialized)
struct CustomerKeySchedulingTests {
    struct World {
        let store: any Store
        let table: KeyTable
        let clock: TestClock
        let dir: String
    }

    func world(policy: KeyTablePolicy) async throws -> World {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let clock = TestClock(Date(timeIntervalSince1970: 1_767_574_800))
        let app = try await RotorApp.test(home: dir, clock: clock, label: "keys")
        return World(store: app.store, table: app.keyTable(policy: policy), clock: clock, dir: dir)
    }

    let day: TimeInterval = 86400

    @Test func keysAreRotatedBeforeMaxAgeAndNoneOutlivesIt() async throws {
        let policy = KeyTablePolicy(grace: .seconds(72 * 3600), maxAge: .seconds(90 * 86400), warnBefore: .seconds(7 * 86400))
        let w = try await world(policy: policy)
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let start = w.clock.now
        let (record, key) = try await w.table.create(org: "acme", name: "app", scopes: [], rateLimit: nil, actor: "t")
        // Daily passes for 200 days: the key chain is rotated every 83 days and no valid key is ever older than 90.
        for dayIndex in 1...200 {
            w.clock.set(start.addingTimeInterval(Double(dayIndex) * day))
            _ = await w.table.rotateDueKeys(now: w.clock.now, limit: 100)
            _ = await w.table.tick(now: w.clock.now)
            let valid = try await w.table.list(org: "acme", status: nil, limit: 100).filter { $0.status != .revoked }
            for key in valid {
                #expect(w.clock.now.timeIntervalSince(key.createdAt) <= 90 * day, "a valid key older than max_age on day \(dayIndex)")
            }
        }
        let all = try await w.table.list(org: "acme", status: nil, limit: 100)
        #expect(all.count == 3, "rotated on day 83 and day 166")
        #expect(try await w.table.verify(key.revealed).reason == .revoked)
        #expect(all.first { $0.id == record.id }?.status == .revoked)
        // Rotor rotated them itself, as compliance rotations, and told the org each time.
        let events = try await w.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
        #expect(events.filter { $0.action == "key.rotated" && $0.trigger == "compliance" }.count == 2)
        let notices = try await w.store.transaction { try $0.notifications(org: "acme", secretName: nil, limit: 100) }
        #expect(notices.filter { $0.kind == "key_rotated" }.count == 2)
    }

    @Test func anOldKeyStillInUseKeepsWorkingUpToMaxGraceAndTheOrgIsTold() async throws {
        let policy = KeyTablePolicy(grace: .seconds(72 * 3600), maxAge: .seconds(90 * 86400),
                                    revokeWhenUnused: .seconds(24 * 3600), maxGrace: .seconds(14 * 86400))
        let w = try await world(policy: policy)
        defer { try? FileManager.default.removeItem(atPath: w.dir) }
        let start = w.clock.now
        let (record, key) = try await w.table.create(org: "mobile", name: "ios", scopes: [], rateLimit: nil, actor: "t")
        _ = try await w.table.rotate(id: record.id, trigger: .manual, actor: "t", reason: nil, deliverByPickup: true)
        // The app keeps using the old key every day: its grace grows, a day at a time, never past 14 days.
        var lastValidDay = 0
        for dayIndex in 1...20 {
            w.clock.set(start.addingTimeInterval(Double(dayIndex) * day))
            let verified = try await w.table.verify(key.revealed)
            if verified.valid { lastValidDay = dayIndex }
            _ = await w.table.tick(now: w.clock.now.addingTimeInterval(60))
        }
        #expect(lastValidDay >= 13 && lastValidDay <= 14, "valid through max_grace, got day \(lastValidDay)")
        let notices = try await w.store.transaction { try $0.notifications(org: "mobile", secretName: nil, limit: 100) }
        #expect(notices.contains { $0.kind == "key_grace_extended" })
        #expect(try await w.table.verify(key.revealed).reason == .revoked)
    }

    @Test func aPassOverTenTimesTheKeysCostsAboutTheSameWhenTheDueWorkIsTheSame() async throws {
        func passTime(keys: Int) async throws -> Duration {
            let w = try await world(policy: KeyTablePolicy())
            defer { try? FileManager.default.removeItem(atPath: w.dir) }
            let now = w.clock.now
            // `keys` young keys and 20 due ones, inserted directly (a realistic table, not 100k HMACs).
            try await w.store.transaction { tx in
                for index in 0..<(keys + 20) {
                    let due = index < 20
                    try tx.insertAPIKey(APIKeyRecord(
                        id: String(format: "key_%08d", index), keyHash: Array(SHA256.hash(Array("k\(index)".utf8))),
                        prefix: "rk_live_\(index % 10000)", last4: "abcd", org: "org\(index % 100)", name: "k", scopes: [],
                        rateLimit: nil, status: .active,
                        createdAt: now.addingTimeInterval(due ? -89 * 86400 : -Double(index % 30) * 86400)))
                }
            }
            let clock = ContinuousClock()
            let started = clock.now
            let rotated = await w.table.rotateDueKeys(now: now, limit: 500)
            _ = await w.table.tick(now: now)
            let elapsed = clock.now - started
            #expect(rotated.filter { $0.action == "key-rotated" }.count == 20)
            await w.store.close()
            return elapsed
        }
        let small = try await passTime(keys: 10_000)
        let large = try await passTime(keys: 100_000)
        #expect(large < small * 10, "10× the keys with the same due work: \(small) → \(large)")
        print("key pass with 20 due keys: 10k keys \(small), 100k keys \(large)")
    }
}
