import Foundation
import RotorCore
import RotorCrypto
import RotorApp
import RotorTestSupport
import Testing

/// Two daemons (two stores, two runners with their own lease owners) on one PostgreSQL database with 200
/// secrets: every warning is sent once and every due rotation happens once.
@Suite("Two daemons on PostgreSQL", .serialized)
struct TwoDaemonsTests {
    @Test func twoSchedulersShareTwoHundredDueSecretsWithoutDoingAnythingTwice() async throws {
        let server = try PostgresTestServer.required()
        let databaseName = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_e2e")
        let databaseURL = try await server.createDatabase(named: databaseName)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-2d-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try await withCleanup({
            try? FileManager.default.removeItem(atPath: dir)
            try? await server.dropDatabase(named: databaseName)
        }) {
            let count = 200
            let parser = PlaybookParser(catalog: ProviderRegistry.catalog)
            let playbooks = try (0..<count).map { index -> Playbook in
                let text = """
                    secret: s-\(index)
                    schedule: { every: 30d, warn_before: 7d }
                    grace: 1h
                    source: { provider: random }
                    targets: [ { provider: file, path: \(dir)/s-\(index).env, key: VALUE } ]
                    checks: []
                    notify: [ ops, oncall ]
                    """
                let (playbook, problems) = parser.parse(file: "s-\(index).yml", text: text)
                return try #require(playbook, "\(problems)")
            }
            let keyring = try MasterKeyring(current: MasterKey(bytes: SecureRandom.bytes(32)))
            let start = Date(timeIntervalSince1970: 1_767_574_800)
            let clock = TestClock(start)
            // Two applications on one database, as two daemons on two hosts would be: a store, a runner and a
            // lease owner each, one master key.
            func daemon(_ name: String) async throws -> RotorApp {
                try await RotorApp.test(home: dir, storeURL: databaseURL, clock: clock, label: "two-daemons", keyring: keyring,
                                        leaseOwner: "\(name):\(ProcessInfo.processInfo.processIdentifier):x")
            }
            let firstApp = try await daemon("daemon-a")
            let secondApp = try await daemon("daemon-b")
            let first = firstApp.store
            for playbook in playbooks {
                _ = try await firstApp.secrets.importCurrent(playbook, value: SecretValue("initial-\(playbook.secret)-abcdefghijkl"),
                                                             handle: nil, actor: "test", replace: false)
            }
            func scheduler(_ app: RotorApp) async throws -> Scheduler {
                try await app.scheduler(playbooks: playbooks, runner: app.runner())
            }
            let a = try await scheduler(firstApp)
            let b = try await scheduler(secondApp)
            func both() async -> [TickItem] {
                async let x = a.tick()
                async let y = b.tick()
                return await x + y
            }

            // Three days before the due date: the 7-day warning, once per secret and channel, whoever sends it.
            clock.set(start.addingTimeInterval(27 * 86400))
            let warned = await both()
            #expect(!warned.contains { $0.action == "error" }, "\(warned.filter { $0.action == "error" }.prefix(3))")
            _ = await both()
            let warnings = try await first.transaction { tx in
                try tx.notifications(org: nil, secretName: nil, limit: 10_000).filter { $0.kind == "warning" }
            }
            #expect(warnings.count == count * 2, "one warning per secret and channel")
            #expect(Set(warnings.map(\.dedupeKey)).count == warnings.count)
            let audited = try await first.transaction { tx in
                try tx.auditEvents(since: nil, until: nil, subject: nil, limit: nil).filter { $0.action == "warning.sent" }
            }
            #expect(audited.count == count, "one audit row per warning, whichever daemon sent it")

            // Due: every secret rotated exactly once, by one daemon or the other.
            clock.set(start.addingTimeInterval(30 * 86400))
            let rotatedItems = await both()
            #expect(!rotatedItems.contains { $0.action == "error" }, "\(rotatedItems.filter { $0.action == "error" }.prefix(3))")
            _ = await both()
            let rotations = try await first.transaction { tx in try playbooks.map { try tx.rotations(secretName: $0.secret) } }
            #expect(rotations.allSatisfy { $0.count == 1 }, "each secret rotated once")
            #expect(rotations.allSatisfy { $0.first?.state == .grace })
            let owners = Set(rotatedItems.filter { $0.action == "rotated" }.compactMap(\.rotationID))
            #expect(owners.count == count)
            await firstApp.close()
            await secondApp.close()
        }
    }
}
