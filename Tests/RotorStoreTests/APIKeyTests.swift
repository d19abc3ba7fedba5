import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Own API keys")
struct APIKeyTests {
    @Test(arguments: TestBackend.all)
    func ofTwoProcessesThatReadTheSameActiveKeyOnlyOneMovesItOn(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let key = Fixtures.apiKey(1)
            try await store.transaction { try $0.insertAPIKey(key) }
            // Both daemons read the key while it is active and each wants to put it into grace for its own successor.
            var graced = key
            graced.status = .grace
            graced.graceEndsAt = t(day)
            let first = graced
            graced.graceEndsAt = t(2 * day)
            let second = graced
            let firstWon = try await store.transaction { try $0.updateAPIKey(first, ifStatus: .active) }
            let secondWon = try await store.transaction { try $0.updateAPIKey(second, ifStatus: .active) }
            #expect(firstWon)
            #expect(!secondWon)
            #expect(try await store.transaction { try $0.apiKey(id: key.id) } == first)
            #expect(try await store.transaction { try $0.updateAPIKey(Fixtures.apiKey(99), ifStatus: .active) } == false)
        }
    }

    @Test(arguments: TestBackend.all)
    func keysAreInsertedFoundByIdHashAndPrefixUpdatedAndTouched(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            var key = Fixtures.apiKey(1)
            key.expiresAt = t(90 * day)
            let bare = APIKeyRecord(
                id: "key-bare", keyHash: [9, 9, 9], prefix: "rk_bare", last4: "abcd", org: "globex", name: "ci",
                scopes: [], rateLimit: nil, status: .active, createdAt: t(1)
            )
            try await store.transaction { [key] tx in
                try tx.insertAPIKey(key)
                try tx.insertAPIKey(bare)
            }
            let inserted = key
            #expect(try await store.transaction { try $0.apiKey(id: inserted.id) } == inserted)
            #expect(try await store.transaction { try $0.apiKey(hash: Fixtures.keyHash(1)) } == inserted)
            #expect(try await store.transaction { try $0.apiKey(hash: [9, 9, 9]) } == bare)
            #expect(try await store.transaction { try $0.apiKey(hash: [1]) } == nil)
            #expect(try await store.transaction { try $0.apiKeys(prefix: inserted.prefix) } == [inserted])

            try await store.transaction { try $0.touchAPIKey(id: "key-bare", at: t(day)) }
            #expect(try await store.transaction { try $0.apiKey(id: "key-bare")?.lastUsedAt } == t(day))

            key.status = .grace
            key.graceEndsAt = t(2 * day)
            key.scopes = ["read"]
            key.rateLimit = nil
            key.revokeReason = "rotated"
            key.rotatedFrom = "key-0"
            let updated = key
            try await store.transaction { try $0.updateAPIKey(updated) }
            #expect(try await store.transaction { try $0.apiKey(id: updated.id) } == updated)

            let ghost = Fixtures.apiKey(99)
            let missing = await #expect(throws: StoreError.self) { try await store.transaction { try $0.updateAPIKey(ghost) } }
            #expect(missing?.code == .notFound)
            let duplicate = await #expect(throws: StoreError.self) {
                var clash = Fixtures.apiKey(2)
                clash.keyHash = [9, 9, 9]
                try await store.transaction { [clash] in try $0.insertAPIKey(clash) }
            }
            #expect(duplicate?.code == .constraintViolation)
        }
    }

    @Test(arguments: TestBackend.all)
    func keysArePagedByIdAndFilteredByOrgAndStatus(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                for index in 0..<25 {
                    let status: APIKeyStatus = index % 5 == 0 ? .revoked : .active
                    try tx.insertAPIKey(Fixtures.apiKey(index, org: index.isMultiple(of: 2) ? "acme" : "globex", status: status))
                }
            }
            var pages: [[String]] = []
            var after: String?
            repeat {
                let page = try await store.transaction { [after] in try $0.apiKeys(org: nil, status: nil, limit: 10, afterID: after) }
                pages.append(page.map(\.id))
                after = page.last?.id
            } while pages.last?.count == 10
            #expect(pages.map(\.count) == [10, 10, 5])
            #expect(pages.flatMap { $0 } == (0..<25).map { String(format: "key-%07d", $0) })

            let acme = try await store.transaction { try $0.apiKeys(org: "acme", status: nil, limit: 100, afterID: nil) }
            #expect(acme.map(\.id) == stride(from: 0, to: 25, by: 2).map { String(format: "key-%07d", $0) })
            let acmeActive = try await store.transaction { try $0.apiKeys(org: "acme", status: .active, limit: 3, afterID: "key-0000002") }
            #expect(acmeActive.map(\.id) == ["key-0000004", "key-0000006", "key-0000008"])
            let revoked = try await store.transaction { try $0.apiKeys(org: nil, status: .revoked, limit: 100, afterID: nil) }
            #expect(revoked.map(\.id) == ["key-0000000", "key-0000005", "key-0000010", "key-0000015", "key-0000020"])

            #expect(try await store.transaction { try $0.countAPIKeys(status: nil) } == 25)
            #expect(try await store.transaction { try $0.countAPIKeys(status: .revoked) } == 5)
            #expect(try await store.transaction { try $0.countAPIKeys(status: .grace) } == 0)
        }
    }

    @Test(arguments: TestBackend.all)
    func dueKeysComeOldestFirstAndOnlyWhenDue(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { tx in
                for index in 0..<6 {
                    try tx.insertAPIKey(Fixtures.apiKey(index, at: t(Double(5 - index) * day)))
                }
                for index in 6..<9 {
                    var key = Fixtures.apiKey(index, status: .grace, at: t(0))
                    key.graceEndsAt = t(Double(9 - index) * hour)
                    try tx.insertAPIKey(key)
                }
            }
            let old = try await store.transaction { try $0.activeAPIKeys(createdBefore: t(3 * day), limit: 2) }
            #expect(old.map(\.id) == ["key-0000005", "key-0000004"])
            let allOld = try await store.transaction { try $0.activeAPIKeys(createdBefore: t(3 * day), limit: 10) }
            #expect(allOld.map(\.id) == ["key-0000005", "key-0000004", "key-0000003"])
            let ended = try await store.transaction { try $0.graceAPIKeys(graceEndedBefore: t(2.5 * hour), limit: 10) }
            #expect(ended.map(\.id) == ["key-0000008", "key-0000007"])
        }
    }

    /// The key table must hold a million keys: verifying a key must never scan it.
    @Test(arguments: TestBackend.all)
    func keyLookupsOnAHundredThousandKeysUseIndexes(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let total = 100_000
            for batch in stride(from: 0, to: total, by: 20_000) {
                try await store.transaction { tx in
                    for index in batch..<(batch + 20_000) {
                        try tx.insertAPIKey(Fixtures.apiKey(index, org: "org-\(index % 500)", at: t(Double(index))))
                    }
                }
            }
            #expect(try await store.transaction { try $0.countAPIKeys(status: .active) } == total)
            #expect(try await store.transaction { try $0.apiKey(hash: Fixtures.keyHash(77_777))?.id } == "key-0077777")

            if backend == .postgres {
                _ = try await rawRows(store, "ANALYZE api_keys")
            }
            let lookups: [(String, String, [SQLValue])] = [
                ("apiKey(hash:)", SQLTransaction.apiKeyByHashQuery, [.blob(Fixtures.keyHash(77_777))]),
                ("apiKeys(prefix:)", SQLTransaction.apiKeysByPrefixQuery, [.text("rk_0077777")]),
                ("activeAPIKeys", SQLTransaction.activeAPIKeysQuery, [.text("active"), .int(1_735_689_600_000 + 50_000_000), .int(100)]),
                ("graceAPIKeys", SQLTransaction.graceAPIKeysQuery, [.text("grace"), .int(1_735_689_600_000), .int(100)]),
            ]
            for (name, query, parameters) in lookups {
                let plan = try await queryPlan(store, backend, query, parameters)
                #expect(!plan.isEmpty, "\(name): no plan")
                switch backend {
                case .sqlite:
                    #expect(!plan.contains { $0.hasPrefix("SCAN api_keys") }, "\(name) scans api_keys: \(plan)")
                    #expect(plan.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") }, "\(name): \(plan)")
                case .postgres:
                    #expect(!plan.contains { $0.contains("Seq Scan") }, "\(name) scans api_keys: \(plan)")
                    #expect(plan.contains { $0.contains("Index") }, "\(name): \(plan)")
                }
            }
        }
    }

    private func queryPlan(_ store: any Store, _ backend: TestBackend, _ query: String, _ parameters: [SQLValue]) async throws -> [String] {
        switch backend {
        case .sqlite:
            return try await rawRows(store, "EXPLAIN QUERY PLAN " + query, parameters).map { try $0.text("detail") }
        case .postgres:
            return try await rawRows(store, "EXPLAIN " + query, parameters).map { try $0.text("QUERY PLAN") }
        }
    }
}
