import Foundation

/// `rotor.yml`: the server's address and secrets, and the notification channels playbooks name.
///
/// ```yaml
/// server:   { listen: "127.0.0.1:8750", public_url: "https://rotor.example.com", admin_token: env:ROTOR_ADMIN_TOKEN }
/// channels:
///   security-slack: { type: slack, url: env:SLACK_WEBHOOK_URL }
///   customers:      { type: outbox }
/// ```
///
/// Every credential (a Slack webhook URL, an SMTP password, a signing secret, a token) is a
/// `CredentialReference`; the file never holds one, so it can be committed and shown.
public struct RotorConfig: Sendable, Equatable {
    /// The file read when no `--config` is given, relative to the working directory.
    public static let defaultPath = "rotor.yml"
    /// Larger files are refused unread: a configuration is a page of text.
    static let maximumBytes = 1 << 20

    /// `server:`; defaults when the file does not say.
    public var server: ServerConfig
    /// `channels:` by name.
    public var channels: [String: ChannelConfig]
    /// `alerts:`: the channels every failure and emergency reaches, and how often reminders go out.
    public var alerts: AlertsConfig
    /// `users:`: the people who may sign in to the dashboard, each with a role and a token reference.
    public var users: [UserConfig]

    /// A configuration with the given server settings and channels.
    public init(server: ServerConfig = ServerConfig(), channels: [String: ChannelConfig] = [:], alerts: AlertsConfig = AlertsConfig(),
                users: [UserConfig] = []) {
        self.server = server
        self.channels = channels
        self.alerts = alerts
        self.users = users
    }

    /// The channel names a playbook's `notify:` may use (`PlaybookParser.knownChannels`).
    public var channelNames: Set<String> { Set(channels.keys) }

    /// Reads and validates `path` (from `--config`), or `rotor.yml` in `workingDirectory` when `path`
    /// is nil.
    ///
    /// A missing default file is an empty configuration (no channels, default server settings): Rotor
    /// works without one. A file named explicitly must exist.
    ///
    /// - Throws: `RotorConfigError` with every problem found, each at `FILE:LINE:COL`.
    public static func load(path: String?, workingDirectory: String? = nil) throws -> RotorConfig {
        let file = path ?? workingDirectory.map { URL(fileURLWithPath: defaultPath, relativeTo: URL(fileURLWithPath: $0, isDirectory: true)).path }
            ?? defaultPath
        let start = PlaybookLocation(file: file, line: 1, column: 1)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: file, isDirectory: &isDirectory) else {
            if path == nil { return RotorConfig() }
            throw RotorConfigError(file: file, diagnostics: [Diagnostic(
                location: start, message: "no such file",
                hint: "check the path given to --config, or leave it out to read ./\(defaultPath) when it exists")])
        }
        guard !isDirectory.boolValue else {
            throw RotorConfigError(file: file, diagnostics: [Diagnostic(location: start, message: "this is a directory, not a configuration file",
                                                                        hint: "name the rotor.yml file itself")])
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
            defer { try? handle.close() }
            // One byte past the limit is enough to refuse a huge file (or a device) without loading it.
            data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
        } catch {
            let reason = FileManager.default.isReadableFile(atPath: file) ? "it could not be read" : "permission denied"
            throw RotorConfigError(file: file, diagnostics: [Diagnostic(location: start, message: "cannot read the file: \(reason)",
                                                                        hint: "check the file's owner and mode")])
        }
        guard data.count <= maximumBytes else {
            throw RotorConfigError(file: file, diagnostics: [Diagnostic(location: start, message: "the file is larger than 1 MiB",
                                                                        hint: "rotor.yml holds the server settings and channels only")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw RotorConfigError(file: file, diagnostics: [Diagnostic(location: start, message: "the file is not UTF-8 text",
                                                                        hint: "save rotor.yml as UTF-8")])
        }
        return try parse(file: file, text: text)
    }

    /// Validates the text of a configuration file named `file` (used in messages only).
    ///
    /// - Throws: `RotorConfigError` with every problem found.
    public static func parse(file: String, text: String) throws -> RotorConfig {
        // A file of comments (or nothing) is an empty configuration, not an error.
        let meaningful = text.split(whereSeparator: \.isNewline).contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return !trimmed.isEmpty && !trimmed.hasPrefix("#") && trimmed != "---" && trimmed != "..."
        }
        guard meaningful else { return RotorConfig() }

        let sink = DiagnosticSink(file: file)
        guard let document = YAMLLoader.load(text, into: sink) else {
            throw RotorConfigError(file: file, diagnostics: sink.sorted)
        }
        let reader = RotorConfigReader(reader: NodeReader(sink: sink, placeholders: document.placeholders))
        let config = reader.read(document.root)
        guard sink.isEmpty, let config else {
            throw RotorConfigError(file: file, diagnostics: sink.sorted)
        }
        return config
    }
}
