import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorTestSupport
import Testing

/// Due customer keys rotated in batched transactions: every key gets one successor, a pickup slot, a notice and an
/// audit row; a batch costs a handful of statements whatever its size; a pass stops at its time budget and the next
/// one carries on; two daemons still never mint two successors for one key.
@Suite("Customer keys rotated in bulk", .serialized)
struct KeyTableBulkRotationTests {
    let day: TimeInterval = 86_400

    @Test(arguments: KeyBackend.allCases)
    func aPassRotatesEveryDueKeyWithItsPickupNoticeAndAuditRow(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend) { apps, clock, _ in
            let app = apps[0]
            let table = app.keyTable(policy: KeyTablePolicy(rotationBatch: 100))
            let (record, oldKey) = try await table.create(org: "acme", name: "real", scopes: ["read"], rateLimit: 60, actor: "t")
            clock.advance(by: 84 * day)
            try await insertKeys(app.store, count: 249, org: "acme", createdAt: clock.now.addingTimeInterval(-85 * day), idPrefix: "due")
            try await insertKeys(app.store, count: 50, org: "acme", createdAt: clock.now.addingTimeInterval(-10 * day), idPrefix: "young")

            let items = await table.rotateDueKeys(now: clock.now, limit: .max)
            #expect(!items.contains { $0.action == "error" }, "\(items.filter { $0.action == "error" }.prefix(3))")
            #expect(items.filter { $0.action == "key-rotated" }.count == 250)

            let (graced, active, rotated, notices) = try await app.store.transaction { tx in
                (try tx.countAPIKeys(status: .grace), try tx.countAPIKeys(status: .active),
                 try tx.auditEvents(since: nil, until: nil, subject: nil, limit: nil).filter { $0.action == "key.rotated" },
                 try tx.notifications(org: "acme", secretName: nil, limit: 1000).filter { $0.kind == "key_rotated" })
            }
            #expect(graced == 250 && active == 300, "250 due keys in grace; 250 successors and 50 young keys active")
            #expect(rotated.count == 250 && rotated.allSatisfy { $0.trigger == "compliance" && $0.actor == "scheduler" })
            #expect(notices.count == 250)
            // The real key's successor waits in its pickup slot, claimed with the old key, and carries its settings.
            let claimed = try await table.claim(oldKey: oldKey.revealed, actor: "customer")
            #expect(claimed.record.rotatedFrom == record.id && claimed.record.scopes == ["read"] && claimed.record.rateLimit == 60)
            #expect(try await table.verify(claimed.key.revealed).valid)
            #expect(try await table.verify(oldKey.revealed).status == .grace)
            // Nothing about a key leaks into its notice or audit row.
            #expect(!notices.contains { $0.body.contains(claimed.key.revealed) || $0.subject.contains(claimed.key.revealed) })
        }
    }

    /// Complexity, not time: ten times the due keys cost about ten times the statements, and a batch of any size a
    /// handful of them (one transaction per batch, not per key).
    @Test(arguments: KeyBackend.allCases)
    func tenTimesTheDueKeysCostAboutTenTimesTheStatementsAndAFewPerBatch(_ backend: KeyBackend) async throws {
        func work(dueKeys: Int) async throws -> WorkCounter {
            var counter: WorkCounter?
            try await withKeyApps(backend) { apps, clock, _ in
                let table = apps[0].keyTable(policy: KeyTablePolicy(rotationBatch: 100))
                try await insertKeys(apps[0].store, count: dueKeys, org: "acme", createdAt: clock.now.addingTimeInterval(-85 * day),
                                     idPrefix: "due")
                _ = try await table.verify(APIKeyFormat.generate())  // loads the pepper before the count starts
                let (items, measuredWork) = await measured { await table.rotateDueKeys(now: clock.now, limit: .max) }
                #expect(items.filter { $0.action == "key-rotated" }.count == dueKeys)
                counter = measuredWork
            }
            return try #require(counter)
        }
        let small = try await work(dueKeys: 300)
        let large = try await work(dueKeys: 3_000)
        // One transaction per batch of 100 and one that finds nothing left.
        #expect(small[.storeTransactions] == 4 && large[.storeTransactions] == 31)
        #expect(large[.storeStatements] <= 8 * 30 + 1, "statements for 3 000 keys: \(large[.storeStatements])")
        #expect(large[.storeStatements] <= small[.storeStatements] * 12,
                "300 keys: \(small[.storeStatements]) statements, 3 000 keys: \(large[.storeStatements])")
    }

    /// The daemon's pass (`rotor tick`) has no fixed cap: 1 200 due keys, more than two batches, are rotated at once.
    @Test(arguments: KeyBackend.allCases)
    func oneTickRotatesEveryDueKeyWithoutAFixedCap(_ backend: KeyBackend) async throws {
        let playbook = """
            secret: customer-api-keys
            schedule: { every: 90d, warn_before: 7d }
            policy: { max_age: 90d }
            grace: 72h
            source: { provider: key-table }
            targets: []
            """
        try await withKeyApps(backend, playbook: playbook) { apps, clock, _ in
            let app = apps[0]
            try await insertKeys(app.store, count: 1_200, org: "acme", createdAt: clock.now.addingTimeInterval(-85 * day), idPrefix: "due")
            let items = await app.tick()
            #expect(items.filter { $0.action == "key-rotated" }.count == 1_200)
            #expect(!items.contains { $0.action == "budget-spent" })
            #expect(try await app.store.transaction { try $0.countAPIKeys(status: .grace) } == 1_200)
        }
    }

    @Test(arguments: KeyBackend.allCases)
    func aPassStopsAtItsBudgetAndTheNextPassCarriesOn(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend) { apps, clock, _ in
            // A zero budget: each pass does one batch, then leaves the rest to the next.
            let table = apps[0].keyTable(policy: KeyTablePolicy(passBudget: .zero, rotationBatch: 100))
            try await insertKeys(apps[0].store, count: 250, org: "acme", createdAt: clock.now.addingTimeInterval(-85 * day), idPrefix: "due")
            var perPass: [Int] = []
            for _ in 0..<4 {
                let items = await table.rotateDueKeys(now: clock.now, limit: .max)
                perPass.append(items.filter { $0.action == "key-rotated" }.count)
                #expect(items.contains { $0.action == "budget-spent" } == (perPass.last == 100))
            }
            #expect(perPass == [100, 100, 50, 0])
            let keys = try await table.list(org: "acme", status: nil, limit: 1000)
            let successors = Dictionary(grouping: keys.compactMap(\.rotatedFrom), by: { $0 })
            #expect(successors.count == 250 && successors.values.allSatisfy { $0.count == 1 })
        }
    }

    @Test(arguments: KeyBackend.allCases)
    func twoDaemonsRotatingManyDueKeysInBatchesMintOneSuccessorPerKey(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend, count: 2) { apps, clock, _ in
            let policy = KeyTablePolicy(rotationBatch: 40)
            let (a, b) = (apps[0].keyTable(policy: policy), apps[1].keyTable(policy: policy))
            try await insertKeys(apps[0].store, count: 600, org: "acme", createdAt: clock.now.addingTimeInterval(-85 * day), idPrefix: "due")
            async let x = a.rotateDueKeys(now: clock.now, limit: .max)
            async let y = b.rotateDueKeys(now: clock.now, limit: .max)
            let (first, second) = await (x, y)
            let items = first + second
            #expect(!items.contains { $0.action == "error" }, "\(items.filter { $0.action == "error" }.prefix(3))")
            // A daemon that found the rest held by the other stops early; the next pass picks up anything left.
            let leftover = await a.rotateDueKeys(now: clock.now, limit: .max) + b.rotateDueKeys(now: clock.now, limit: .max)
            #expect((items + leftover).filter { $0.action == "key-rotated" }.count == 600)
            let keys = try await a.list(org: "acme", status: nil, limit: 2000)
            let successors = Dictionary(grouping: keys.compactMap(\.rotatedFrom), by: { $0 })
            #expect(successors.count == 600 && successors.values.allSatisfy { $0.count == 1 }, "one successor per key")
            let notices = try await apps[0].store.transaction { try $0.notifications(org: "acme", secretName: nil, limit: 2000) }
            #expect(notices.filter { $0.kind == "key_rotated" }.count == 600)
        }
    }
}
