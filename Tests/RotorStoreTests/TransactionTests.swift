import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Transactions")
struct TransactionTests {
    struct Boom: Error, Equatable {}

    @Test(arguments: TestBackend.all)
    func aTransactionThatThrowsLeavesNothingBehind(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            try await store.transaction { try $0.upsertSecret(Fixtures.secret("kept")) }
            await #expect(throws: Boom.self) {
                try await store.transaction { tx in
                    try tx.upsertSecret(Fixtures.secret("openai-api-key"))
                    try tx.insertVersion(Fixtures.version("v1", label: .current))
                    try tx.insertRotation(Fixtures.rotation("r1"))
                    try tx.appendJournal(rotationID: "r1", step: "generate", phase: .started, detail: nil, at: t(1))
                    try tx.insertAPIKey(Fixtures.apiKey(1))
                    try tx.enqueueNotification(Fixtures.notification("n1"))
                    try tx.appendAudit(Fixtures.audit("rotation.started"))
                    try tx.setSetting("pepper", [1, 2, 3])
                    _ = try tx.acquireLock(name: "leader", owner: "a", until: t(60), now: t(0))
                    var kept = Fixtures.secret("kept")
                    kept.skipsThisCycle = 9
                    try tx.upsertSecret(kept)
                    throw Boom()
                }
            }
            let left = try await store.transaction { tx in
                [
                    try tx.allSecrets().map(\.name).joined(separator: ","),
                    "\(try tx.secret(named: "kept")?.skipsThisCycle ?? -1)",
                    "\(try tx.version(id: "v1") != nil)",
                    "\(try tx.rotation(id: "r1") != nil)",
                    "\(try tx.journal(rotationID: "r1").count)",
                    "\(try tx.countAPIKeys(status: nil))",
                    "\(try tx.notifications(org: nil, secretName: nil, limit: 10).count)",
                    "\(try tx.auditEvents(since: nil, until: nil, subject: nil, limit: nil).count)",
                    "\(try tx.setting("pepper") != nil)",
                    "\(try tx.acquireLock(name: "leader", owner: "b", until: t(60), now: t(0)) ?? -1)",
                ]
            }
            #expect(left == ["kept", "0", "false", "false", "0", "0", "0", "0", "false", "1"])
        }
    }

    @Test(arguments: TestBackend.all)
    func aDatabaseErrorRollsBackTheWholeTransactionAndTheStoreStaysUsable(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            await #expect(throws: StoreError.self) {
                try await store.transaction { tx in
                    try tx.upsertSecret(Fixtures.secret())
                    try tx.insertVersion(Fixtures.version("v1", label: .current))
                    try tx.insertVersion(Fixtures.version("v1", label: .pending))
                }
            }
            #expect(try await store.transaction { try $0.allSecrets() } == [])
            // A caller that catches the error inside the body cannot commit a half-failed PostgreSQL transaction;
            // the next transaction starts clean either way.
            try await store.transaction { try $0.upsertSecret(Fixtures.secret()) }
            #expect(try await store.transaction { try $0.allSecrets().count } == 1)
        }
    }

    @Test(arguments: TestBackend.all)
    func aCaughtDatabaseErrorStillRollsBackTheTransaction(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let error = await #expect(throws: StoreError.self) {
                try await store.transaction { tx in
                    try tx.upsertSecret(Fixtures.secret())
                    try tx.insertAPIKey(Fixtures.apiKey(1))
                    // Swallowing the duplicate-key error must not let the rest commit half-done.
                    try? tx.insertAPIKey(Fixtures.apiKey(1))
                    try tx.appendAudit(Fixtures.audit("after the error"))
                }
            }
            #expect(error?.code == .constraintViolation)
            let left = try await store.transaction { tx in try tx.allSecrets().count + tx.countAPIKeys(status: nil) }
            #expect(left == 0)
        }
    }

    /// Database calls block: they must run on the store's own threads, never on Swift's cooperative pool.
    @Test(arguments: TestBackend.all)
    func transactionsRunOnTheStoresOwnThreads(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let names = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await store.transaction { _ in Thread.current.name ?? "" } }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(!names.isEmpty)
            let prefix = backend == .postgres ? "rotor-pg-" : "rotor-sqlite-"
            #expect(names.allSatisfy { $0.hasPrefix(prefix) }, "\(names)")
        }
    }

    @Test(arguments: TestBackend.all)
    func aClosedStoreRefusesNewTransactions(_ backend: TestBackend) async throws {
        try await withStore(backend) { _, database in
            let store = try await database.open()
            await store.close()
            let error = await #expect(throws: StoreError.self) { try await store.transaction { try $0.allSecrets() } }
            #expect(error?.code == .connectionFailed)
            await store.close()
        }
    }

    @Test(arguments: TestBackend.all)
    func errorsNameTheConstraintButNeverTheValues(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let canary = Array("CANARY-\(UUID().uuidString)".utf8)
            let hex = canary.map { String(format: "%02x", $0) }.joined()
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertVersion(Fixtures.version("v1", label: .current, sealed: canary))
            }
            let duplicate = await #expect(throws: StoreError.self) {
                try await store.transaction { try $0.insertVersion(Fixtures.version("v2", label: .current, sealed: canary)) }
            }
            // A NOT NULL violation: PostgreSQL's DETAIL would quote the whole failing row, sealed bytes included.
            let notNull = await #expect(throws: StoreError.self) {
                _ = try await rawRows(store, """
                    INSERT INTO secret_versions (id, secret_name, label, sealed_value, master_key_id, fingerprint, last4, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text("v3"), .text("openai-api-key"), .text("pending"), .blob(canary), .text("mk"), .null, .text("abcd"), .int(0)])
            }
            for error in [duplicate, notNull] {
                let text = "\(String(describing: error))"
                #expect(error?.code == .constraintViolation)
                #expect(!text.contains("CANARY"))
                #expect(!text.lowercased().contains(hex))
            }
            #expect(String(describing: duplicate).contains("secret_versions"))
        }
    }
}
