import Foundation
import Logging
@testable import ProviderPostgresRole
import RotorCore
import RotorCrypto
import RotorStore
import RotorTestSupport
import Synchronization
import Testing

/// `postgres-role` with `strategy: single` through the real runner, a real store and a real PostgreSQL: a rotation
/// whose check fails is rolled back, and the rollback makes the old password log in again.
@Suite("postgres-role through the runner against a real PostgreSQL")
struct PostgresRoleRunnerTests {
    /// The real source; targets that hold what they are given; a check that refuses every value, as a service that
    /// rejects the new password would.
    final class Providers: ProviderFactory {
        let source: PostgresRoleSource
        let held: Mutex<[String?]>

        init(source: PostgresRoleSource, holding value: String, targets: Int) {
            self.source = source
            held = Mutex(Array(repeating: value, count: targets))
        }

        func source(for playbook: Playbook) throws -> any CredentialSource { source }
        func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget { Target(providers: self, index: config.index) }
        func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck { RefusingCheck() }

        struct Target: SecretTarget {
            let providers: Providers
            let index: Int
            var label: String { "app \(index) DATABASE_URL" }
            var provider: String { "memory" }
            func apply(_ value: SecretValue, _ context: StepContext) async throws { providers.held.withLock { $0[index] = value.revealed } }
            func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
                providers.held.withLock { $0[index] = previous?.revealed }
            }
        }

        struct RefusingCheck: SecretCheck {
            var label: String { "check app health" }
            func verify(_ value: SecretValue, _ context: StepContext) async throws { throw Refused() }
        }

        struct Refused: Error, CustomStringConvertible {
            var description: String { "HTTP 500 from the app's health check" }
        }
    }

    @Test func singleRotationWhoseCheckFailsIsRolledBackAndTheOldPasswordLogsInAgain() async throws {
        let server = try PostgresTestServer.required()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-pgrole-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await server.withRoles(count: 1) { roles in
            let config = try Playbooks.parse(source: "provider: postgres-role\nadmin: env:DB_ADMIN_URL\nstrategy: single\nrole: \(roles[0])").source
            let source = PostgresRoleSource(config: config, credentials: CredentialResolver(
                environment: ["DB_ADMIN_URL": server.adminURL], store: nil, sealer: nil))
            // The password in use before the rotation, known to Rotor's store and held by both targets.
            let old = try await source.mint(stepContext())
            let store = try await openStore(url: "sqlite:\(directory.appendingPathComponent("rotor.db").path)", logger: Logger(label: "test"))
            try await withCleanup({
                await store.close()
                try? FileManager.default.removeItem(at: directory)
            }) {
                let location = PlaybookLocation(file: "db.yml", line: 1, column: 1)
                func memory(_ kind: ProviderKind, _ index: Int) -> ProviderConfig {
                    ProviderConfig(provider: "memory", kind: kind, index: index, label: "memory \(index)", fields: [:], location: location)
                }
                let playbook = Playbook(file: "db.yml", secret: "app-db", grace: .seconds(3600), source: config,
                                        targets: [memory(.target, 0), memory(.target, 1)], checks: [memory(.check, 0)])
                let sealer = Sealer(keyring: MasterKeyring(current: MasterKey.random()))
                let clock = TestClock()
                _ = try await SecretService(store: store, sealer: sealer, clock: clock)
                    .importCurrent(playbook, value: old.value, handle: old.handle, actor: "tests", replace: false)
                let providers = Providers(source: source, holding: old.value.revealed, targets: 2)
                let runner = RotationRunner(store: store, sealer: sealer, factory: providers, clock: clock, logger: Logger(label: "test"))

                let outcome = try await runner.rotate(playbook, .init(trigger: .manual, actor: "tests", reason: "runner rollback"))
                #expect(outcome.rotation.state == .rolledBack)
                #expect(outcome.rotation.error?.contains("HTTP 500") == true)

                let new = try await store.transaction { tx in
                    try #require(try outcome.rotation.newVersionID.flatMap { try tx.version(id: $0) })
                }
                let newValue = try sealer.open(SealedValue(keyID: new.masterKeyID, box: new.sealedValue),
                                               context: SealingContext.version(secret: "app-db", versionID: new.id))
                #expect(new.label == .failed && new.revokedAt != nil)
                // The database takes the old password again, and no longer the new one.
                #expect(try await server.login(old.value.revealed) == roles[0])
                await #expect(throws: PostgresRoleError.self) { try await server.login(String(decoding: newValue, as: UTF8.self)) }
                #expect(providers.held.withLock { $0 } == [old.value.revealed, old.value.revealed])
                let current = try await store.transaction { try $0.version(secretName: "app-db", label: .current) }
                #expect(current?.fingerprint == old.value.fingerprint)
                let journal = try await store.transaction { try $0.journal(rotationID: outcome.rotation.id) }
                #expect(journal.contains { $0.step == "undo:generate" && $0.phase == .succeeded })
            }
        }
    }
}
