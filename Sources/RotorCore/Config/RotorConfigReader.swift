import Foundation
import Yams

/// Validates the node tree of `rotor.yml`, reporting every problem at the node at fault.
///
/// Messages quote keys, channel names and types, never a value of a credential field: a Slack webhook
/// URL or a password pasted where a reference belongs must not be echoed back.
struct RotorConfigReader {
    let reader: NodeReader

    private var sink: DiagnosticSink { reader.sink }

    static let topKeys = ["server", "channels", "alerts", "users"]
    static let serverKeys = ["listen", "public_url", "admin_token", "reply_secret"]
    /// The keys of each channel type, `type` first.
    static let channelKeys: [String: [String]] = [
        "slack": ["type", "url"],
        "slack-app": ["type", "bot_token", "signing_secret", "channel", "api_url"],
        "email": ["type", "smtp", "username", "password", "from", "to", "ca_file", "require_tls"],
        "webhook": ["type", "url", "signing_secret"],
        "outbox": ["type"],
    ]

    /// The configuration, or nil when anything was reported.
    func read(_ root: Node) -> RotorConfig? {
        guard let top = reader.mapping(root, for: "the configuration", expected: "a mapping with server: and channels:") else {
            return nil
        }
        reader.checkKeys(top, allowed: Self.topKeys, in: "rotor.yml")
        var config = RotorConfig()
        if let entry = top["server"], !NodeReader.isNull(entry.value) {
            config.server = server(entry.value) ?? config.server
        }
        if let entry = top["channels"], !NodeReader.isNull(entry.value) {
            config.channels = channels(entry.value)
        }
        if let entry = top["alerts"], !NodeReader.isNull(entry.value) {
            config.alerts = alerts(entry.value, defined: config.channels) ?? config.alerts
        }
        if let entry = top["users"], !NodeReader.isNull(entry.value) {
            config.users = users(entry.value) ?? []
        }
        return sink.isEmpty ? config : nil
    }

    // MARK: server

    private func server(_ node: Node) -> ServerConfig? {
        guard let mapping = reader.mapping(node, for: "server") else { return nil }
        reader.checkKeys(mapping, allowed: Self.serverKeys, in: "server")
        var server = ServerConfig()
        if let entry = present(mapping["listen"]), let text = reader.string(entry.value, for: "listen") {
            if let (host, port) = Self.hostAndPort(text) {
                (server.host, server.port) = (host, port)
            } else {
                sink.report(entry.value, "'listen' must be HOST:PORT with a port from 1 to 65535",
                            hint: "for example \"127.0.0.1:8750\", or \"0.0.0.0:8750\" for every interface")
            }
        }
        if let entry = present(mapping["public_url"]), let text = reader.string(entry.value, for: "public_url") {
            if let url = Self.httpURL(text) {
                server.publicURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                sink.report(entry.value, "'public_url' must be an absolute http or https URL",
                            hint: "the address people reach rotor serve at, for example https://rotor.example.com")
            }
        }
        server.adminToken = credential(present(mapping["admin_token"]), what: "the admin API token")
        server.replySecret = credential(present(mapping["reply_secret"]), what: "the reply signing secret")
        return server
    }

    // MARK: channels

    private func channels(_ node: Node) -> [String: ChannelConfig] {
        guard let mapping = reader.mapping(node, for: "channels", expected: "a mapping of channel names to channels") else {
            return [:]
        }
        var channels: [String: ChannelConfig] = [:]
        for entry in mapping.entries {
            guard Playbook.isValidSecretName(entry.key) else {
                sink.report(entry.keyNode, "\(NodeReader.shortQuote(entry.key)) is not a valid channel name",
                            hint: "up to 63 characters: lowercase letters, digits, '.', '_' and '-', starting with a letter or digit")
                continue
            }
            if let channel = channel(named: entry.key, entry.value) {
                channels[entry.key] = channel
            }
        }
        return channels
    }

    private func channel(named name: String, _ node: Node) -> ChannelConfig? {
        let context = "channel '\(name)'"
        guard let mapping = reader.mapping(node, for: context, expected: "a mapping with type: slack, slack-app, email, webhook or outbox") else {
            return nil
        }
        guard let typeEntry = mapping["type"] else {
            reader.missing("type", in: mapping, context: context, hint: "type: " + ChannelConfig.types.joined(separator: ", "))
            return nil
        }
        guard let type = reader.string(typeEntry.value, for: "type") else { return nil }
        guard let allowed = Self.channelKeys[type] else {
            sink.report(typeEntry.value, "\(NodeReader.shortQuote(type)) is not a channel type",
                        hint: Suggestion.hint(for: type, among: ChannelConfig.types, listing: "channel types"))
            return nil
        }
        checkChannelKeys(mapping, type: type, allowed: allowed, context: context)
        let before = sink.count
        let channel: ChannelConfig?
        switch type {
        case "slack":
            channel = credential(required("url", in: mapping, context: context, hint: "url: env:SLACK_WEBHOOK_URL"),
                                 what: "a Slack webhook URL").map { .slack(SlackChannelConfig(url: $0)) }
        case "slack-app":
            channel = slackApp(mapping, context: context).map(ChannelConfig.slackApp)
        case "webhook":
            channel = webhook(mapping, context: context).map(ChannelConfig.webhook)
        case "email":
            channel = email(mapping, context: context).map(ChannelConfig.email)
        default:
            channel = .outbox
        }
        return sink.count == before ? channel : nil
    }

    /// Unknown keys get a did-you-mean among the type's keys, or are named as another type's.
    private func checkChannelKeys(_ mapping: MappingView, type: String, allowed: [String], context: String) {
        for entry in mapping.entries where !allowed.contains(entry.key) {
            let owners = ChannelConfig.types.filter { Self.channelKeys[$0]?.contains(entry.key) == true }
            let hint = owners.isEmpty
                ? Suggestion.hint(for: entry.key, among: allowed, listing: "allowed keys")
                : "'\(entry.key)' belongs to \(owners.joined(separator: " and ")) channels; a \(type) channel takes " + allowed.joined(separator: ", ")
            sink.report(entry.keyNode, "unknown key '\(entry.key)' in \(context) (type \(type))", hint: hint)
        }
    }

    private func webhook(_ mapping: MappingView, context: String) -> WebhookChannelConfig? {
        var url: String?
        if let node = required("url", in: mapping, context: context, hint: "url: https://example.com/rotor")?.value,
           let text = reader.string(node, for: "url") {
            url = Self.httpURL(text)
            if url == nil {
                sink.report(node, "'url' must be an absolute http or https URL", hint: "for example https://example.com/rotor")
            }
        }
        let secret = credential(required("signing_secret", in: mapping, context: context, hint: "signing_secret: env:HOOK_SECRET"),
                                what: "the webhook signing secret")
        guard let url, let secret else { return nil }
        return WebhookChannelConfig(url: url, signingSecret: secret)
    }

    private func email(_ mapping: MappingView, context: String) -> EmailChannelConfig? {
        var smtp: String?
        if let node = required("smtp", in: mapping, context: context, hint: "smtp: \"smtps://smtp.example.com:465\"")?.value,
           let text = reader.string(node, for: "smtp") {
            if Self.isSMTPURL(text) {
                smtp = text
            } else {
                sink.report(node, "'smtp' must be an smtp:// or smtps:// URL with a host and no login in it",
                            hint: "for example smtps://smtp.example.com:465 or smtp://smtp.example.com:587; put the login in username: and password:")
            }
        }
        let from = address(required("from", in: mapping, context: context, hint: "from: rotor@example.com")?.value, key: "from")
        var to: [String]?
        if let node = required("to", in: mapping, context: context, hint: "to: [oncall@example.com]")?.value,
           let items = reader.list(node, for: "to", expected: "a list of e-mail addresses") {
            if items.isEmpty {
                sink.report(node, "'to' needs at least one address")
            } else {
                let addresses = items.map { address($0, key: "to") }
                to = addresses.contains(nil) ? nil : addresses.compactMap { $0 }
            }
        }
        let usernameEntry = present(mapping["username"])
        let passwordEntry = present(mapping["password"])
        let username = usernameEntry.flatMap { reader.string($0.value, for: "username") }
        let password = credential(passwordEntry, what: "the SMTP password")
        if let usernameEntry, passwordEntry == nil {
            sink.report(usernameEntry.keyNode, "'username' is set but 'password' is not in \(context)",
                        hint: "add password: env:SMTP_PASSWORD, or remove username to send without logging in")
        }
        if let passwordEntry, usernameEntry == nil {
            sink.report(passwordEntry.keyNode, "'password' is set but 'username' is not in \(context)", hint: "add username: LOGIN")
        }
        let caFile = present(mapping["ca_file"]).flatMap { entry -> String? in
            guard let text = reader.string(entry.value, for: "ca_file") else { return nil }
            guard !text.isEmpty else {
                sink.report(entry.value, "'ca_file' must not be empty", hint: "a PEM file of CA certificates, or remove the key")
                return nil
            }
            return text
        }
        let requireTLS = present(mapping["require_tls"]).flatMap { reader.bool($0.value, for: "require_tls") } ?? true
        guard let smtp, let from, let to else { return nil }
        return EmailChannelConfig(smtp: smtp, username: username, password: password, from: from, to: to,
                                  caFile: caFile, requireTLS: requireTLS)
    }

    // MARK: values

    /// The entry unless it is absent or an explicit null (`key:` with nothing after it).
    func present(_ entry: MappingView.Entry?) -> MappingView.Entry? {
        guard let entry, !NodeReader.isNull(entry.value) else { return nil }
        return entry
    }

    /// The value of a required key, or nil after reporting it missing.
    func required(_ key: String, in mapping: MappingView, context: String, hint: String) -> MappingView.Entry? {
        guard let entry = present(mapping[key]) else {
            if let entry = mapping[key] {
                sink.report(entry.value, "'\(key)' must not be empty in \(context)", hint: hint)
            } else {
                reader.missing(key, in: mapping, context: context, hint: hint)
            }
            return nil
        }
        return entry
    }

    func credential(_ entry: MappingView.Entry?, what: String) -> CredentialReference? {
        guard let entry else { return nil }
        return credential(entry.value, key: entry.key, what: what)
    }

    /// A credential reference. A literal value is refused without being quoted: it may be the secret.
    func credential(_ node: Node, key: String, what: String) -> CredentialReference? {
        guard case .scalar(let scalar) = node, node.resolvedTag != .bool, node.resolvedTag != .null else {
            reader.wrongType(node, expected: "a credential reference (env:NAME or file:PATH)", for: key)
            return nil
        }
        let text = scalar.string
        let problem: String
        if let colon = text.firstIndex(of: ":") {
            let scheme = text[..<colon]
            let rest = text[text.index(after: colon)...]
            switch scheme {
            case "env" where FieldValidator.isEnvironmentName(rest),
                 "file" where !rest.isEmpty,
                 "secret" where Playbook.isValidSecretName(String(rest)):
                if let reference = try? CredentialReference(parsing: text) { return reference }
                problem = "use env:NAME or file:PATH"
            case "env":
                problem = "env: needs a variable name such as env:SMTP_PASSWORD"
            case "file":
                problem = "file: needs a path such as file:/run/secrets/smtp-password"
            case "secret":
                problem = "secret: needs the name of a secret Rotor manages"
            default:
                problem = "never write the credential itself into rotor.yml: keep it in the environment (env:NAME) or a file (file:PATH)"
            }
        } else {
            problem = "never write the credential itself into rotor.yml: keep it in the environment (env:NAME) or a file (file:PATH)"
        }
        sink.report(node, "'\(key)' is \(what), so it must be a credential reference (env:NAME or file:PATH, or secret:NAME)",
                    hint: problem)
        return nil
    }

    private func address(_ node: Node?, key: String) -> String? {
        guard let node, let text = reader.string(node, for: key) else { return nil }
        guard Self.isMailAddress(text) else {
            sink.report(node, "\(NodeReader.shortQuote(text)) in '\(key)' is not a plain e-mail address",
                        hint: "write local@domain, without a display name or angle brackets")
            return nil
        }
        return text
    }

    // MARK: forms

    /// `HOST:PORT` or `[IPv6]:PORT`.
    static func hostAndPort(_ text: String) -> (String, Int)? {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.contains(":") else { return nil }
        }
        guard !host.isEmpty, !host.contains(where: \.isWhitespace), portText.allSatisfy(\.isASCII),
              let port = Int(portText), (1...65535).contains(port) else { return nil }
        return (String(host), port)
    }

    /// The text if it is an absolute http(s) URL with a host.
    static func httpURL(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty else { return nil }
        return text
    }

    /// An `smtp://` or `smtps://` URL with a host and no user or password.
    static func isSMTPURL(_ text: String) -> Bool {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "smtp" || scheme == "smtps", let host = components.host, !host.isEmpty else { return false }
        return components.user == nil && components.password == nil
    }

    /// `local@domain` with nothing that could end a header or an SMTP command.
    static func isMailAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              text.utf8.count <= 254 else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && $0.value > 32 && $0.value < 127 && !"<>(),;:\\\"[]".unicodeScalars.contains($0) }
    }
}
