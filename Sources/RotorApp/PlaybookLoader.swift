import RotorCore

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
}
