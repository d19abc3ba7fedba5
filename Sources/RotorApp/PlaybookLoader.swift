import RotorCore
import RotorKeyTable

/// Reads playbooks against every provider this build knows and the channels `rotor.yml` declares, so that
/// `rotor validate`, the commands and the daemon judge a playbook the same way.
public struct PlaybookLoader: Sendable {
    /// The configuration whose channels a playbook's `notify:` may name (none when it declares none, so a
    /// misspelt or undefined channel is caught before an alert is lost to it).
    public let config: RotorConfig
    /// What is read when no paths are given.
    public let defaultPath: String

    public init(config: RotorConfig, defaultPath: String) {
        self.config = config
        self.defaultPath = defaultPath
    }

    /// Loads and validates the playbook files and folders in `paths`, or `defaultPath` when there are none.
    public func load(_ paths: [String] = []) -> PlaybookSet {
        PlaybookParser(catalog: ProviderRegistry.catalog, knownChannels: config.channelNames)
            .parseFiles(paths.isEmpty ? [defaultPath] : paths)
    }

    /// What `rotor validate` reports beyond each file on its own: a key-table playbook whose customer notices (a new
    /// key ready, its pickup link) have no channel to go to, neither in its `notify:` nor of type `outbox` in rotor.yml.
    public func setupProblems(_ set: PlaybookSet) -> [Diagnostic] {
        set.playbooks.filter(\.isKeyTable).compactMap { playbook in
            guard KeyTablePolicy.customerChannels(notify: playbook.notify, config: config).isEmpty else { return nil }
            return Diagnostic(
                location: playbook.source.location,
                message: "key-table playbook \(playbook.secret) has no channel for its customer notices (new keys ready, pickup links)",
                hint: "name a channel in its notify:, or define one of type outbox in rotor.yml, e.g. `customers: { type: outbox }`")
        }
    }
}
