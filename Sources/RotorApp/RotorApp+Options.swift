import Foundation
import Logging
import RotorCore
import RotorCrypto

extension RotorApp {
    /// What an application is built from: where its state and playbooks live, its environment, and the clock and
    /// logger everything shares. The CLI fills it from its flags; tests fill it directly.
    public struct Options: Sendable {
        /// The state directory (ROTOR_HOME): the master key file, and the SQLite store by default.
        public var home: String
        /// `sqlite:PATH` or a `postgres://` URL.
        public var storeURL: String
        /// The folder (or file) playbooks are read from when no paths are given.
        public var playbooks: String
        /// `rotor.yml`; nil reads `./rotor.yml` when it exists.
        public var configPath: String?
        /// Where credentials (`env:` references, ROTOR_MASTER_KEY, server secrets) and runner settings are read.
        public var environment: [String: String]
        public var clock: any RotorClock
        public var logger: Logger
        /// The master keys to seal with; nil loads them from ROTOR_MASTER_KEY or `home/master.key`.
        public var keyring: MasterKeyring?
        /// The name this process holds rotation leases under; nil gives every runner a fresh one.
        public var leaseOwner: String?
        /// Providers the runner uses instead of the registry's (test doubles); nil uses ``ProviderRegistry``.
        public var providers: (any ProviderFactory)?

        /// Options with Rotor's defaults for what is not given: `home` from ROTOR_HOME, else `./.rotor`; `storeURL`
        /// from ROTOR_STORE, else `sqlite:HOME/rotor.db`; `playbooks` from ROTOR_PLAYBOOKS, else `./Playbooks`;
        /// `configPath` from ROTOR_CONFIG, else `./rotor.yml` when it exists. An empty environment variable
        /// counts as unset.
        public init(home: String? = nil, storeURL: String? = nil, playbooks: String? = nil, configPath: String? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    clock: any RotorClock = SystemClock(), logger: Logger = Logger(label: "rotor"),
                    keyring: MasterKeyring? = nil, leaseOwner: String? = nil, providers: (any ProviderFactory)? = nil) {
            func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            let home = home ?? variable("ROTOR_HOME") ?? "./.rotor"
            self.home = home
            self.storeURL = storeURL ?? variable("ROTOR_STORE") ?? "sqlite:\(home)/rotor.db"
            self.playbooks = playbooks ?? variable("ROTOR_PLAYBOOKS") ?? "./Playbooks"
            self.configPath = configPath ?? variable("ROTOR_CONFIG")
            self.environment = environment
            self.clock = clock
            self.logger = logger
            self.keyring = keyring
            self.leaseOwner = leaseOwner
            self.providers = providers
        }

        /// True when the master key comes from ROTOR_MASTER_KEY rather than a file under `home`.
        public var masterKeyFromEnvironment: Bool { environment["ROTOR_MASTER_KEY"].map { !$0.isEmpty } ?? false }

        /// Where the master key file is (or would be) when it does not come from the environment.
        public var masterKeyPath: String { "\(home)/master.key" }

        /// The master keys: the given keyring, else ROTOR_MASTER_KEY, else `home/master.key`.
        public func loadKeyring() throws -> MasterKeyring {
            try keyring ?? MasterKeyLoader.load(home: home, environment: environment)
        }

        /// Reads and validates `rotor.yml` (see ``RotorConfig/load(path:workingDirectory:)``).
        public func loadConfig() throws -> RotorConfig { try RotorConfig.load(path: configPath) }
    }
}
