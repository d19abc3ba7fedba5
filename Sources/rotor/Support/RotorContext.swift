import Foundation
import Logging
import RotorCore
import RotorCrypto
import RotorApp
import RotorStore

/// Everything a command needs, opened once: the store, the sealer, the clock, the playbooks and the
/// providers that serve them.
struct RotorContext {
    let global: GlobalOptions
    let config: RotorConfig
    let store: any Store
    let sealer: Sealer
    let clock: any RotorClock
    let logger: Logger

    static func open(global: GlobalOptions, keyring: MasterKeyring? = nil, clock: any RotorClock = SystemClock()) async throws -> RotorContext {
        CLILogging.bootstrap()
        let logger = Logger(label: "rotor")
        let keyring = try keyring ?? MasterKeyLoader.load(home: global.resolvedHome, environment: global.environment)
        let config = try RotorConfig.load(path: global.config)
        let store = try await openStore(url: global.resolvedStoreURL, logger: logger)
        return RotorContext(global: global, config: config, store: store, sealer: Sealer(keyring: keyring), clock: clock, logger: logger)
    }

    func close() async { await store.close() }

    /// Opens a context, runs `body`, and closes the store whatever happens.
    static func with<T>(_ global: GlobalOptions, clock: any RotorClock = SystemClock(),
                        _ body: (RotorContext) async throws -> T) async throws -> T {
        let context = try await open(global: global, clock: clock)
        do {
            let result = try await body(context)
            await context.close()
            return result
        } catch {
            await context.close()
            throw error
        }
    }

    var providers: ProviderRegistry { ProviderRegistry(store: store, sealer: sealer, logger: logger, clock: clock) }

    /// Loads and validates the playbooks named on the command line, or the configured folder.
    func loadPlaybooks(_ paths: [String] = []) -> PlaybookSet {
        PlaybookParser(catalog: ProviderRegistry.catalog, knownChannels: config.channels.isEmpty ? nil : config.channelNames)
            .parseFiles(paths.isEmpty ? [global.resolvedPlaybooks] : paths)
    }

    /// The valid playbook of `secret`, or an error that lists what is known, or why its playbook is invalid.
    func playbook(_ secret: String, in set: PlaybookSet) throws -> Playbook {
        if let playbook = set.playbooks.first(where: { $0.secret == secret }) { return playbook }
        let problems = set.problemsBySecret[secret] ?? []
        if !problems.isEmpty {
            throw CLIError("the playbook of \(secret) is invalid:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
                           + "\nfix it (see `rotor validate`) and try again")
        }
        throw CLIError(ServiceError.unknownSecret(secret, known: set.playbooks.map(\.secret).sorted()).description
                       + " (playbooks are read from \(global.resolvedPlaybooks); use --playbooks DIR)")
    }

    func runner(observer: @escaping @Sendable (RunnerEvent) -> Void = { _ in }) -> RotationRunner {
        RotationRunner(store: store, sealer: sealer, factory: providers, clock: clock, logger: logger,
                       configuration: .init(concurrencyPerProvider: global.environment["ROTOR_PROVIDER_CONCURRENCY"].flatMap(Int.init) ?? 8,
                                            fault: FaultPlan(environment: global.environment)),
                       observer: observer)
    }

    /// Where links in messages point (rotor.yml `server.public_url`).
    var publicURL: String? { config.server.publicURL ?? global.environment["ROTOR_PUBLIC_URL"] }

    var credentials: CredentialResolver { CredentialResolver(environment: global.environment, store: store, sealer: sealer) }

    var secrets: SecretService { SecretService(store: store, sealer: sealer, clock: clock) }

    static var actor: String {
        let env = ProcessInfo.processInfo.environment
        return "cli:" + (env["ROTOR_ACTOR"] ?? env["USER"] ?? env["LOGNAME"] ?? "unknown")
    }
}

extension PlaybookSet {
    /// Diagnostics of invalid files, by the secret they declare (or the file name when they do not say).
    var problemsBySecret: [String: [String]] {
        var result: [String: [String]] = [:]
        for (file, diagnostics) in invalidFiles {
            let name = PlaybookSet.declaredSecret(file: file) ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
            result[name, default: []] += diagnostics.map(\.description)
        }
        return result
    }

    static func declaredSecret(file: String) -> String? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("secret:") {
            let value = line.dropFirst("secret:".count).trimmingCharacters(in: .whitespaces)
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
