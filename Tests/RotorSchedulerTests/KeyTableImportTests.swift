import Foundation
import RotorApp
import RotorCore
import RotorKeyTable
import RotorTestSupport
import Synchronization
import Testing

/// `KeyTable.importKeys`: adopted keys stored as their HMAC and verifiable, minted keys handed to the caller before
/// anything is stored, everything in one transaction of multi-row statements, and a key already in the table
/// refusing the whole import.
@Suite("Customer keys imported in bulk", .serialized)
struct KeyTableImportTests {
    static func entries(_ count: Int, adoptEvery: Int = 2) -> [KeyImportEntry] {
        (0..<count).map { index in
            KeyImportEntry(line: index + 2, org: "org\(index % 7)", name: "key \(index)", scopes: ["read", "write"],
                           adoptedKey: index % adoptEvery == 0 ? SecretValue(APIKeyFormat.generate()) : nil)
        }
    }

    @Test(arguments: KeyBackend.allCases)
    func adoptedAndMintedKeysVerifyAndEachHasAnAuditRow(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend) { apps, _, _ in
            let table = apps[0].keyTable(policy: KeyTablePolicy())
            let entries = Self.entries(40)
            let delivered = Mutex<[KeyTable.MintedKey]>([])
            let summary = try await table.importKeys(entries, source: "keys.csv", actor: "t", deliver: { minted in
                delivered.withLock { $0 = minted }
            })
            #expect(summary == KeyTable.ImportSummary(minted: 20, adopted: 20))
            let minted = delivered.withLock { $0 }
            #expect(minted.map(\.line) == entries.filter { $0.adoptedKey == nil }.map(\.line))
            for entry in entries {
                let presented = entry.adoptedKey?.revealed ?? minted.first { $0.line == entry.line }!.key.revealed
                let verified = try await table.verify(presented)
                #expect(verified.valid && verified.org == entry.org && verified.scopes == ["read", "write"], "line \(entry.line)")
            }
            let audit = try await apps[0].store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            let imported = audit.filter { $0.action == "key.imported" }
            #expect(imported.count == 40 && imported.allSatisfy { $0.trigger == "import" && $0.actor == "t" })
            #expect(imported.contains { $0.detail?.hasSuffix("adopted from keys.csv:2") == true })
            // No key anywhere in the audit rows.
            for key in entries.compactMap(\.adoptedKey?.revealed) + minted.map(\.key.revealed) {
                #expect(!audit.contains { "\($0)".contains(key) })
            }
        }
    }

    /// Complexity, not time: one transaction, a handful of multi-row statements per thousand keys (keys, audit rows,
    /// the duplicate check, the key index's change stamp); ten times the keys cost about ten times the statements.
    @Test(arguments: KeyBackend.allCases)
    func anImportIsOneTransactionOfAFewStatementsPerThousandKeys(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend) { apps, _, _ in
            let table = apps[0].keyTable(policy: KeyTablePolicy())
            _ = try await table.verify(APIKeyFormat.generate())  // loads the pepper before the count starts
            let (_, small) = try await measured {
                try await table.importKeys(Self.entries(1_000), source: "a", actor: "t", deliver: { _ in })
            }
            let (_, large) = try await measured {
                try await table.importKeys(Self.entries(10_000), source: "b", actor: "t", deliver: { _ in })
            }
            #expect(small[.storeTransactions] == 1 && large[.storeTransactions] == 1)
            #expect(large[.storeStatements] <= 10 * 6, "statements for 10 000 keys: \(large[.storeStatements])")
            #expect(large[.storeStatements] <= small[.storeStatements] * 12)
            #expect(try await apps[0].store.transaction { try $0.countAPIKeys(status: .active) } == 11_000)
        }
    }

    @Test(arguments: KeyBackend.allCases)
    func aKeyAlreadyInTheTableRefusesTheWholeImportNamingItsLine(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend) { apps, _, _ in
            let table = apps[0].keyTable(policy: KeyTablePolicy())
            let existing = APIKeyFormat.generate()
            _ = try await table.importKeys([KeyImportEntry(line: 1, org: "acme", name: "a", scopes: [], adoptedKey: SecretValue(existing))],
                                           source: "first.csv", actor: "t", deliver: { _ in })
            var batch = Self.entries(30)
            batch[17].adoptedKey = SecretValue(existing)
            await #expect(throws: KeyImportError(file: "second.csv", problems: [.init(line: 19, message: "this key is already in the key table")],
                                                 total: 1)) {
                try await table.importKeys(batch, source: "second.csv", actor: "t", deliver: { _ in })
            }
            #expect(try await apps[0].store.transaction { try $0.countAPIKeys(status: nil) } == 1, "nothing of the second import was written")
        }
    }
}
