import Foundation
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import Synchronization

/// `make bench-bulk`: customer keys in bulk on SQLite and PostgreSQL (when run under scripts/with-postgres.sh).
/// Prints figures and asserts nothing. Each figure comes with its reference measured in the same run: the path of
/// one transaction per key (`rotor keys create`, and the scheduler before batching), on fewer keys.
@main
struct BulkBench {
    static let keys = Int(ProcessInfo.processInfo.environment["ROTOR_BENCH_KEYS"] ?? "") ?? 10_000
    static let referenceKeys = 1_000
    static let day: TimeInterval = 86_400

    static func main() async throws {
        print("bulk: \(keys) customer keys imported (half adopted, half minted), then all of them rotated by one scheduler pass")
        try await run(backend: "SQLite", storeURL: nil)
        if let url = ProcessInfo.processInfo.environment["ROTOR_TEST_POSTGRES_URL"], !url.isEmpty {
            try await run(backend: "PostgreSQL", storeURL: url)
        } else {
            print("PostgreSQL: skipped (run under scripts/with-postgres.sh)")
        }
    }

    static func run(backend: String, storeURL: String?) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-bench-bulk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let clock = BenchClock(Date(timeIntervalSince1970: 1_767_574_800))
        let app = try await RotorApp.open(.init(home: home, storeURL: storeURL, playbooks: home, environment: [:], clock: clock,
                                                logger: logger, keyring: MasterKeyring(current: MasterKey(bytes: SecureRandom.bytes(32)))))
        let table = app.keyTable(policy: KeyTablePolicy())
        print("\(backend):")
        let start = clock.now
        try await importFigures(table, clock: clock)
        // Rotation: every imported key is due 84 days on; the reference keys, created 10 days later, are not.
        clock.set(start.addingTimeInterval(84 * day))
        try await rotationFigures(table, now: clock.now)
        await app.close()
    }

    static func importFigures(_ table: KeyTable, clock: BenchClock) async throws {
        let entries = (0..<keys).map { index in
            KeyImportEntry(line: index + 1, org: "org\(index % 50)", name: "key \(index)", scopes: ["read", "write"],
                           adoptedKey: index.isMultiple(of: 2) ? SecretValue(APIKeyFormat.generate()) : nil)
        }
        _ = try await table.verify(APIKeyFormat.generate())  // the pepper is loaded once per process, not per import
        let (seconds, work) = try await timed {
            _ = try await table.importKeys(entries, source: "bench", actor: "bench", deliver: { _ in })
        }
        let rate = Double(keys) / seconds
        clock.advance(by: 10 * day)
        let (referenceSeconds, _) = try await timed {
            for index in 0..<referenceKeys {
                _ = try await table.create(org: "ref", name: "ref \(index)", scopes: ["read"], rateLimit: nil, actor: "bench")
            }
        }
        let referenceRate = Double(referenceKeys) / referenceSeconds
        print(String(format: "  import             %6d keys in %6.2f s: %8.0f keys/s  (%d transaction, %d statements; goal ≥ 5 000/s)",
                     keys, seconds, rate, work[.storeTransactions], work[.storeStatements]))
        print(String(format: "    reference: one transaction per key (rotor keys create's path), %d keys: %6.0f keys/s; ratio %.1f×",
                     referenceKeys, referenceRate, rate / referenceRate))
    }

    static func rotationFigures(_ table: KeyTable, now: Date) async throws {
        var rotated = 0
        let (seconds, work) = try await timed {
            let items = await table.rotateDueKeys(now: now, limit: .max)
            rotated = items.filter { $0.action == "key-rotated" }.count
            if let error = items.first(where: { $0.action == "error" }) { print("  error: \(error.message)") }
        }
        let rate = Double(rotated) / seconds
        let reference = try await table.list(org: "ref", status: .active, limit: referenceKeys)
        let (referenceSeconds, _) = try await timed {
            for key in reference {
                _ = try await table.rotate(id: key.id, trigger: .compliance, actor: "bench", reason: nil, deliverByPickup: true)
            }
        }
        let referenceRate = Double(reference.count) / referenceSeconds
        print(String(format: "  scheduler rotation %6d due keys in %6.2f s: %8.0f rotations/s  (%d transactions, %d statements; "
                     + "pickups, notices, audit rows included; goal < 5 s)", rotated, seconds, rate, work[.storeTransactions],
                     work[.storeStatements]))
        print(String(format: "    reference: one transaction per key (the scheduler before batching), %d keys: %6.0f rotations/s; ratio %.1f×",
                     reference.count, referenceRate, rate / referenceRate))
    }

    /// Wall time of `body` in seconds, and the store work it did.
    static func timed(_ body: () async throws -> Void) async rethrows -> (Double, WorkCounter) {
        let counter = WorkCounter()
        let clock = ContinuousClock()
        let started = clock.now
        try await WorkCounter.$current.withValue(counter) { try await body() }
        let elapsed = clock.now - started
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, counter)
    }
}

/// A clock the bench moves forward by hand (creation times, then the day keys fall due).
final class BenchClock: RotorClock {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    var now: Date { current.withLock { $0 } }
    func set(_ date: Date) { current.withLock { $0 = date } }
    func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
    func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
