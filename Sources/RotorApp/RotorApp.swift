import Foundation
import Logging
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorStore

/// The composition root: one application built from ``Options``, opened once, and the one place that knows how
/// Rotor's parts fit together. The CLI commands, the daemon, `rotor serve` and the end-to-end tests all get
/// their store, providers, runner, scheduler and service from here, so they run the same wiring.
///
/// Parts are built on demand and are cheap; only the store holds resources, until ``close()``.
public struct RotorApp: Sendable {
    public let options: Options
    /// `rotor.yml`: notification channels and server settings.
    public let config: RotorConfig
    public let store: any Store
    public let sealer: Sealer

    public var clock: any RotorClock { options.clock }
    public var logger: Logger { options.logger }
    public var environment: [String: String] { options.environment }

    /// Loads the master key and `rotor.yml` (in that order, so a missing key is reported first), then opens and
    /// migrates the store.
    public static func open(_ options: Options) async throws -> RotorApp {
        let keyring = try options.loadKeyring()
        let config = try options.loadConfig()
        let store = try await openStore(url: options.storeURL, logger: options.logger, simulatedNow: options.clock.isSimulated)
        return RotorApp(options: options, config: config, store: store, sealer: Sealer(keyring: keyring))
    }

    /// Closes the store.
    public func close() async { await store.close() }

    /// Opens an application, runs `body`, and closes the store whatever happens.
    public static func with<T>(_ options: Options, _ body: (RotorApp) async throws -> T) async throws -> T {
        let app = try await open(options)
        do {
            let result = try await body(app)
            await app.close()
            return result
        } catch {
            await app.close()
            throw error
        }
    }

    // MARK: Parts

    /// Every concrete provider, built against this store and environment.
    public var registry: ProviderRegistry {
        ProviderRegistry(store: store, sealer: sealer, logger: logger, clock: clock, environment: environment)
    }

    /// What the runner builds sources, targets and checks with: the registry, unless the options replace it.
    public var providers: any ProviderFactory { options.providers ?? registry }

    /// Loads and validates the playbooks in `paths`, or the configured folder when there are none.
    public func loadPlaybooks(_ paths: [String] = []) -> PlaybookSet {
        PlaybookLoader(config: config, defaultPath: options.playbooks).load(paths)
    }

    /// A runner with ROTOR_PROVIDER_CONCURRENCY target writes per provider (default 32), a lease of ROTOR_LEASE_TTL
    /// seconds (default 300) and the fault plan of ROTOR_FAULT_* (for crash-safety tests), reporting each step to `observer`.
    public func runner(observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) -> RotationRunner {
        var configuration = RotationRunner.Configuration(
            leaseDuration: .seconds(environment["ROTOR_LEASE_TTL"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 300),
            concurrencyPerProvider: environment["ROTOR_PROVIDER_CONCURRENCY"].flatMap(Int.init)
                ?? RotationRunner.Configuration.defaultConcurrencyPerProvider,
            fault: FaultPlan(environment: environment), alerts: config.alerts)
        if let owner = options.leaseOwner { configuration.owner = owner }
        configuration.publicURL = publicURL
        return RotationRunner(store: store, sealer: sealer, factory: providers, clock: clock, logger: logger,
                              configuration: configuration, observer: observer)
    }

    /// The customer key table, under the policy of the key-table playbook among `playbooks` if there is one.
    public func keyTable(playbooks: [Playbook]) -> KeyTable {
        keyTable(policy: playbooks.first(where: \.isKeyTable).map(KeyTableSource.policy) ?? KeyTablePolicy())
    }

    /// The customer key table under `policy`; when the policy names no channel for customer notices, they go to
    /// rotor.yml's channels of type `outbox`.
    public func keyTable(policy: KeyTablePolicy) -> KeyTable {
        var policy = policy
        policy.channels = KeyTablePolicy.customerChannels(notify: policy.channels, config: config)
        return KeyTable(store: store, sealer: sealer, clock: clock, policy: policy, logger: logger)
    }

    /// Where links in messages point: ROTOR_PUBLIC_URL (the environment beats rotor.yml), else `server.public_url`.
    public var publicURL: String? {
        environment["ROTOR_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? config.server.publicURL
    }

    /// Resolves `env:` and stored credential references.
    public var credentials: CredentialResolver { CredentialResolver(environment: environment, store: store, sealer: sealer) }

    /// Imports, status and history of managed secrets.
    public var secrets: SecretService { SecretService(store: store, sealer: sealer, clock: clock) }

    /// Ways out of stuck rotations (`rotor resolve`), driving them with a runner that reports to `observer`.
    public func resolver(observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) -> ResolveService {
        ResolveService(store: store, runner: runner(observer: observer))
    }

    /// Emergencies (`rotor emergency`, the HTTP trigger), driving rotations with a runner that reports to `observer`.
    public func emergencies(observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) -> EmergencyService {
        EmergencyService(store: store, runner: runner(observer: observer), clock: clock, logger: logger)
    }

    /// Values people supply to rotations of `manual` sources (`rotor supply`, supply links), driving them on with a
    /// runner that reports to `observer`.
    public func supplies(observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) -> SupplyService {
        SupplyService(store: store, runner: runner(observer: observer), clock: clock, logger: logger)
    }

    /// Postpones scheduled rotations.
    public var skips: SkipService { SkipService(store: store, clock: clock) }

    /// The key that signs reply links, created in the store on first use.
    public func replyTokens() async throws -> ReplyTokens { try await ReplyTokens.load(store: store, sealer: sealer) }
}
