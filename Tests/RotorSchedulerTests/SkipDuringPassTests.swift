import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Synchronization
import Testing

enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}

/// Two applications (two daemons, or a daemon and `rotor skip`) on one store, SQLite file or PostgreSQL database.
struct SharedStore: Sendable {
    let dir: String
    let storeURL: String?
    let databaseName: String?
    let keyring: MasterKeyring

    static func make(_ backend: StoreBackend) async throws -> SharedStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-race-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var storeURL: String?
        var databaseName: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_sched")
            storeURL = try await PostgresTestServer.required().createDatabase(named: name)
            databaseName = name
        }
        return SharedStore(dir: dir, storeURL: storeURL, databaseName: databaseName,
                           keyring: try MasterKeyring(current: MasterKey(bytes: SecureRandom.bytes(32))))
    }

    /// An application on this store called `name`, reading rotor.yml from `configPath` when given.
    func app(_ name: String, clock: TestClock, configPath: String? = nil) async throws -> RotorApp {
        try await RotorApp.test(home: dir, storeURL: storeURL, clock: clock, label: name, keyring: keyring,
                                leaseOwner: "\(name):\(ProcessInfo.processInfo.processIdentifier):x", configPath: configPath)
    }

    /// Writes `text` as rotor.yml in the store's directory and returns its path.
    func writeConfig(_ text: String) throws -> String {
        let path = "\(dir)/rotor.yml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func remove() async {
        try? FileManager.default.removeItem(atPath: dir)
        if let databaseName { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: databaseName) }
    }

    func playbook(_ text: String) throws -> Playbook {
        let (parsed, problems) = PlaybookParser(catalog: ProviderRegistry.catalog).parse(file: "app.yml", text: text)
        return try #require(parsed, "\(problems)")
    }

    /// Returns once a session of this database waits for a row lock (the skip, behind the pass's lock). Runs on the
    /// server, which checks every 10 ms; fails after 60 s, which is what happens when nothing takes the lock.
    func awaitLockWaiter() async throws {
        guard let databaseName else { return }
        try await PostgresTestServer.required().execute("""
            DO $$ BEGIN
              FOR i IN 1..6000 LOOP
                IF EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '\(databaseName)' AND wait_event_type = 'Lock') THEN
                  RETURN;
                END IF;
                PERFORM pg_sleep(0.01);
              END LOOP;
              RAISE EXCEPTION 'no session waited for the secret''s row lock';
            END $$;
            """)
    }
}

/// Issue 9: a skip made while a scheduler pass works on the same secret is never overwritten by the pass.
@Suite("A skip during a scheduler pass", .serialized)
struct SkipDuringPassTests {
    @Test(arguments: StoreBackend.allCases)
    func aSkipMadeWhileThePassHoldsTheRowIsKept(_ backend: StoreBackend) async throws {
        let shared = try await SharedStore.make(backend)
        try await withCleanup({ await shared.remove() }) {
            let playbook = try shared.playbook("""
                secret: app
                schedule: { every: 30d, warn_before: 7d }
                policy: { max_age: 90d, max_skips: 2, skip_for: 30d }
                source: { provider: random }
                targets: [ { provider: file, path: \(shared.dir)/app.env, key: VALUE } ]
                checks: []
                notify: [ ops ]
                """)
            let start = Date(timeIntervalSince1970: 1_767_574_800)
            let clock = TestClock(start)
            let daemon = try await shared.app("daemon", clock: clock)
            let cli = try await shared.app("cli", clock: clock)
            try await withCleanup({ await daemon.close(); await cli.close() }) {
                _ = try await daemon.secrets.importCurrent(playbook, value: SecretValue("initial-0123456789abc"),
                                                           handle: nil, actor: "t", replace: false)
                // The 7-day warning is due: the pass has something to write.
                clock.set(start.addingTimeInterval(24 * 86_400))
                let skipTask = Mutex<Task<SkipService.Outcome, any Error>?>(nil)
                var scheduler = try await daemon.scheduler(playbooks: [playbook], runner: daemon.runner())
                scheduler.whileLocked = { _ in
                    // Inside the pass's transaction, its row lock held: a person skips from another process.
                    let task = Task { try await cli.skips.skip(playbook, for: nil, reason: "release freeze", actor: "alice", via: "cli") }
                    skipTask.withLock { $0 = task }
                    // PostgreSQL: wait until the skip is blocked on the row (without the lock it would commit now and
                    // the pass would overwrite it). SQLite: the skip's transaction waits for this one anyway.
                    let waited = DispatchSemaphore(value: 0)
                    Task { try? await shared.awaitLockWaiter(); waited.signal() }
                    waited.wait()
                }
                let items = await scheduler.tick()
                #expect(items.contains { $0.action == "warned" }, "\(items)")
                let skip = try await #require(skipTask.withLock { $0 }).value
                #expect(skip.newDate == start.addingTimeInterval(60 * 86_400), "the skip built on the pass's date")
                let record = try await daemon.store.transaction { try $0.secret(named: "app") }
                #expect(record?.nextRotationAt == skip.newDate)
                #expect(record?.skipsThisCycle == 1)
                // Later passes keep it.
                for days in [25.0, 31, 45] {
                    clock.set(start.addingTimeInterval(days * 86_400))
                    scheduler.whileLocked = nil
                    let later = await scheduler.tick()
                    #expect(!later.contains { $0.action == "rotated" }, "\(later)")
                    #expect(try await daemon.store.transaction { try $0.secret(named: "app")?.nextRotationAt } == skip.newDate)
                }
            }
        }
    }
}
