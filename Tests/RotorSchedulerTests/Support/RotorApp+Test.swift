import Foundation
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport

extension RotorApp {
    /// The application as the daemon builds it, for a test: state (and the SQLite store, unless `storeURL` names
    /// another) under `home`, playbooks read from `home`, a fresh master key unless `keyring` is given, only the
    /// `environment` given (nothing leaks in from the test runner's), and error-only logs.
    static func test(home: String, storeURL: String? = nil, clock: TestClock, label: String,
                     environment: [String: String] = [:], keyring: MasterKeyring? = nil,
                     leaseOwner: String? = nil, configPath: String? = nil) async throws -> RotorApp {
        var logger = Logger(label: label)
        logger.logLevel = .error
        let keyring = try keyring ?? MasterKeyring(current: MasterKey(bytes: SecureRandom.bytes(32)))
        return try await RotorApp.open(Options(home: home, storeURL: storeURL, playbooks: home, configPath: configPath, environment: environment,
                                               clock: clock, logger: logger, keyring: keyring, leaseOwner: leaseOwner))
    }

    /// A pass as `rotor tick` runs it, without delivery (the outbox rows are what the tests check): maintenance, then
    /// the scheduler, over `playbooks`.
    func passWithoutDelivery(_ playbooks: [Playbook]) async throws -> [TickItem] {
        let runner = runner()
        let items = await maintenance(playbooks: playbooks, runner: runner).tick()
        return try await items + scheduler(playbooks: playbooks, runner: runner).tick()
    }
}
