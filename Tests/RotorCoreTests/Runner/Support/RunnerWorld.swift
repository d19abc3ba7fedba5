import Foundation
import Logging
import RotorCore
import RotorCrypto
import RotorStore
import RotorTestSupport
import Testing

/// A real SQLite store in a temporary directory, a real sealer and runner, in-memory providers and the test clock,
/// around one imported secret with two targets and one check.
struct RunnerWorld {
    static let secret = "app-token"
    /// The value in use before any rotation: the "old credential".
    static let oldValue = "sk-mem-imported-old-credential"
    static let lease: Duration = .seconds(300)
    static let grace: Duration = .seconds(3_600)

    let directory: URL
    let databaseName: String?
    let store: any Store
    let sealer: Sealer
    let clock: TestClock
    let vendor: MemoryVendor
    let playbook: Playbook
    let logs: CapturingLogHandler.Store

    /// The store a world keeps its rotations in.
    enum Backend: String, Sendable, CaseIterable, CustomTestStringConvertible {
        case sqlite, postgres
        var testDescription: String { rawValue }
    }

    /// A world on a SQLite file, or on a PostgreSQL database of its own (dropped by ``close()``).
    static func make(targets: Int = 2, checks: Int = 1, checksFail: Bool = false,
                     backend: Backend = .sqlite) async throws -> RunnerWorld {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-runner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let logs = CapturingLogHandler.Store()
        var url = "sqlite:\(directory.appendingPathComponent("rotor.db").path)"
        var databaseName: String?
        if backend == .postgres {
            let name = PostgresTestServer.uniqueDatabaseName(prefix: "rotor_runner")
            url = try await PostgresTestServer.required().createDatabase(named: name)
            databaseName = name
        }
        let store = try await openStore(url: url, logger: CapturingLogHandler.logger("rotor.store", into: logs))
        let sealer = Sealer(keyring: MasterKeyring(current: MasterKey.random()))
        let clock = TestClock()
        func config(_ kind: ProviderKind, _ index: Int) -> ProviderConfig {
            ProviderConfig(provider: "memory", kind: kind, index: index, label: "memory \(kind.rawValue) \(index)", fields: [:],
                           location: PlaybookLocation(file: "app-token.yml", line: 1, column: 1))
        }
        let playbook = Playbook(file: "app-token.yml", secret: secret, grace: grace, source: config(.source, 0),
                                targets: (0..<targets).map { config(.target, $0) }, checks: (0..<checks).map { config(.check, $0) })
        _ = try await SecretService(store: store, sealer: sealer, clock: clock)
            .importCurrent(playbook, value: SecretValue(oldValue), handle: "imported", actor: "tests", replace: false)
        return RunnerWorld(directory: directory, databaseName: databaseName, store: store, sealer: sealer, clock: clock,
                           vendor: MemoryVendor(current: oldValue, targets: targets, checksFail: checksFail),
                           playbook: playbook, logs: logs)
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(at: directory)
        if let databaseName { try? await PostgresTestServer.fromEnvironment()?.dropDatabase(named: databaseName) }
    }

    /// A runner of its own process: `owner` is its lease name; `fault` where it "dies".
    /// `heartbeat`: how often it renews its lease while steps are in flight (real time; by default a third of
    /// the lease, so never within a test); `onLeaseRenewed` hears every renewal.
    func runner(owner: String, fault: FaultPlan? = nil, heartbeat: Duration? = nil,
                onLeaseRenewed: (@Sendable (Date) -> Void)? = nil,
                observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) -> RotationRunner {
        RotationRunner(store: store, sealer: sealer, factory: vendor, clock: clock,
                       logger: CapturingLogHandler.logger("rotor.runner.\(owner)", into: logs),
                       configuration: .init(owner: owner, leaseDuration: Self.lease, heartbeat: heartbeat, fault: fault,
                                            onLeaseRenewed: onLeaseRenewed),
                       observer: observer)
    }

    /// One `rotor tick` pass run by `owner`.
    func tick(owner: String) async -> [TickItem] {
        let runner = runner(owner: owner)
        return await Maintenance(runner: runner, store: store, clock: clock, playbooks: [Self.secret: playbook],
                                 logger: CapturingLogHandler.logger("rotor.tick", into: logs)).tick()
    }

    func rotate(with runner: RotationRunner) async throws -> RotationOutcome {
        try await runner.rotate(playbook, .init(trigger: .manual, actor: "tests", reason: "runner tests"))
    }

    func drive(with runner: RotationRunner, entry: RotationRunner.Entry) async throws -> RotationOutcome {
        let rotation = try #require(try await snapshot().rotation)
        return try await runner.drive(rotationID: rotation.id, playbook: playbook, entry: entry)
    }

    // MARK: Reading the store

    struct Snapshot: Sendable {
        /// Every version of the secret with its opened value.
        var versions: [(record: SecretVersionRecord, value: String)]
        /// The newest rotation.
        var rotation: RotationRecord?
        var journal: [JournalEntry]
        var audit: [AuditEvent]

        func version(id: String?) -> (record: SecretVersionRecord, value: String)? {
            versions.first { $0.record.id == id }
        }
    }

    func snapshot() async throws -> Snapshot {
        let sealer = sealer
        return try await store.transaction { tx in
            let versions = try tx.versions(secretName: Self.secret).map { record in
                let bytes = try sealer.open(SealedValue(keyID: record.masterKeyID, box: record.sealedValue),
                                            context: SealingContext.version(secret: record.secretName, versionID: record.id))
                return (record, String(decoding: bytes, as: UTF8.self))
            }
            let rotation = try tx.rotations(secretName: Self.secret).first
            return Snapshot(versions: versions, rotation: rotation,
                            journal: try rotation.map { try tx.journal(rotationID: $0.id) } ?? [],
                            audit: try tx.auditEvents(since: nil, until: nil, subject: Self.secret, limit: nil))
        }
    }
}
