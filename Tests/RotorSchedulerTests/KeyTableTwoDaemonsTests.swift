import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorTestSupport
import Testing

/// Two daemons (two applications, each with its own store) on one database working the same customer keys: a
/// due key gets one successor, and a pickup slot hands its key out once.
@Suite("Customer keys under two daemons", .serialized)
struct KeyTableTwoDaemonsTests {
    /// Two applications (daemons) on one fresh database of `backend`, sharing a master key and a clock.
    func withTwoApps(_ backend: KeyBackend, _ body: (RotorApp, RotorApp, TestClock) async throws -> Void) async throws {
        try await withKeyApps(backend, count: 2) { apps, clock, _ in try await body(apps[0], apps[1], clock) }
    }

    @Test(arguments: KeyBackend.allCases)
    func twoDaemonsRotatingTheSameDueKeysMintOneSuccessorPerKey(_ backend: KeyBackend) async throws {
        try await withTwoApps(backend) { first, second, clock in
            let policy = KeyTablePolicy()
            let (a, b) = (first.keyTable(policy: policy), second.keyTable(policy: policy))
            var ids: [String] = []
            for index in 0..<24 {
                ids.append(try await a.create(org: "acme", name: "key \(index)", scopes: [], rateLimit: nil, actor: "t").record.id)
            }
            clock.advance(by: 84 * 86400)
            async let x = a.rotateDueKeys(now: clock.now, limit: 100)
            async let y = b.rotateDueKeys(now: clock.now, limit: 100)
            let items = await x + y
            #expect(!items.contains { $0.action == "error" }, "\(items.filter { $0.action == "error" }.prefix(3))")
            #expect(items.filter { $0.action == "key-rotated" }.count == ids.count)

            let keys = try await a.list(org: "acme", status: nil, limit: 1000)
            for id in ids {
                #expect(keys.filter { $0.rotatedFrom == id }.count == 1, "successors of \(id)")
            }
            let notices = try await first.store.transaction { try $0.notifications(org: "acme", secretName: nil, limit: 1000) }
            #expect(notices.filter { $0.kind == "key_rotated" }.count == ids.count, "one notice per rotated key")
        }
    }

    @Test(arguments: KeyBackend.allCases)
    func concurrentClaimsOfOnePickupHandTheNewKeyOutOnce(_ backend: KeyBackend) async throws {
        try await withTwoApps(backend) { first, second, _ in
            let (a, b) = (first.keyTable(policy: KeyTablePolicy()), second.keyTable(policy: KeyTablePolicy()))
            let (record, oldKey) = try await a.create(org: "acme", name: "app", scopes: [], rateLimit: nil, actor: "t")
            let rotation = try await a.rotate(id: record.id, trigger: .compliance, actor: "t", reason: nil, deliverByPickup: true)
            let old = oldKey.revealed
            let outcomes = await withTaskGroup(of: Result<String, any Error>.self) { group in
                for index in 0..<8 {
                    let table = index.isMultiple(of: 2) ? a : b
                    group.addTask {
                        do {
                            return .success(try await table.claim(oldKey: old, actor: "customer-\(index)").key.revealed)
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                var outcomes: [Result<String, any Error>] = []
                for await outcome in group { outcomes.append(outcome) }
                return outcomes
            }
            let handedOut = outcomes.compactMap { try? $0.get() }
            #expect(handedOut.count == 1, "the new key was handed out \(handedOut.count) times")
            #expect(try await a.verify(try #require(handedOut.first)).keyID == rotation.new.id)
            for case .failure(let error) in outcomes {
                #expect((error as? KeyTableError)?.code == .claimRefused, "\(error)")
            }
        }
    }

    /// Rotates `count` keys with `policy` (delivered to the operator) and returns the old keys' ids and values.
    func rotatedKeys(_ table: KeyTable, count: Int) async throws -> [(id: String, key: SecretValue)] {
        var old: [(id: String, key: SecretValue)] = []
        for index in 0..<count {
            let (record, key) = try await table.create(org: "acme", name: "key \(index)", scopes: [], rateLimit: nil, actor: "t")
            _ = try await table.rotate(id: record.id, trigger: .manual, actor: "t", reason: nil, deliverByPickup: false)
            old.append((record.id, key))
        }
        return old
    }

    /// Two passes at once over the same ended graces: each key is revoked once, with one audit row.
    @Test(arguments: KeyBackend.allCases)
    func twoDaemonsEndingTheSameGracesAuditEachEndOnce(_ backend: KeyBackend) async throws {
        try await withTwoApps(backend) { first, second, clock in
            let policy = KeyTablePolicy(grace: .seconds(3600))
            let (a, b) = (first.keyTable(policy: policy), second.keyTable(policy: policy))
            let old = try await rotatedKeys(a, count: 16)
            clock.advance(by: 2 * 3600)
            async let x = a.tick(now: clock.now)
            async let y = b.tick(now: clock.now)
            let items = await x + y
            #expect(!items.contains { $0.action == "error" }, "\(items.filter { $0.action == "error" }.prefix(3))")
            #expect(items.filter { $0.action == "revoked" }.count == old.count)
            let events = try await first.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            for (id, key) in old {
                #expect(events.filter { $0.action == "key.revoked" && $0.subject == id }.count == 1, "grace ends of \(id)")
                #expect(try await a.verify(key.revealed).reason == .revoked)
            }
        }
    }

    /// Two passes at once over the same graces of keys still in use: each grace is extended once, with one audit row.
    @Test(arguments: KeyBackend.allCases)
    func twoDaemonsExtendingTheSameGracesAuditEachExtensionOnce(_ backend: KeyBackend) async throws {
        try await withTwoApps(backend) { first, second, clock in
            let policy = KeyTablePolicy(grace: .seconds(3600), revokeWhenUnused: .seconds(24 * 3600), maxGrace: .seconds(14 * 86400))
            let (a, b) = (first.keyTable(policy: policy), second.keyTable(policy: policy))
            let old = try await rotatedKeys(a, count: 16)
            clock.advance(by: 1800)
            for (_, key) in old { #expect(try await a.verify(key.revealed).valid) }
            clock.advance(by: 1800 + 60)
            async let x = a.tick(now: clock.now)
            async let y = b.tick(now: clock.now)
            let items = await x + y
            #expect(!items.contains { $0.action == "error" }, "\(items.filter { $0.action == "error" }.prefix(3))")
            #expect(items.filter { $0.action == "grace-extended" }.count == old.count)
            let events = try await first.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            for (id, key) in old {
                #expect(events.filter { $0.action == "key.grace_extended" && $0.subject == id }.count == 1, "extensions of \(id)")
                #expect(try await a.verify(key.revealed).valid)
            }
        }
    }
}
