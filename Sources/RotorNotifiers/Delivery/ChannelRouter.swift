import Logging
import RotorCore
import RotorHTTP

/// Builds the route to each configured channel, resolving its credentials.
struct ChannelRouter: Sendable {
    let config: RotorConfig
    let credentials: CredentialResolver
    let client: HTTPClient
    let logger: Logger

    /// Why `row` cannot go to its channel, which rotor.yml does not define, and what to do: a customer key notice
    /// went where the key-table playbook's `notify:` (or, naming none, rotor.yml's `outbox` channels) pointed.
    func undefinedReason(for row: NotificationRecord) -> String {
        let known = config.channels.keys.sorted()
        let defined = known.isEmpty ? "rotor.yml defines no channels" : "rotor.yml defines " + known.joined(separator: ", ")
        let fix = row.secretName == nil && row.org != nil && row.kind.hasPrefix("key_")
            ? "customer key notices go to the key-table playbook's notify: channels, else to rotor.yml's channels of type "
                + "outbox: name a channel in that playbook's notify:, or define one such as `customers: { type: outbox }` "
                + "under channels: in rotor.yml"
            : "define it under channels: in rotor.yml or remove it from the playbook's notify:"
        return "channel '\(row.channel)' is not defined (\(defined)); \(fix)"
    }

    /// The route to `name` and the credential values it resolved (to be scrubbed from any text the
    /// pass writes, on top of what the transports already redact).
    func route(_ name: String) async -> (route: ChannelRoute, secrets: [SecretValue]) {
        guard let channel = config.channels[name] else { return (.undefined, []) }
        do {
            switch channel {
            case .outbox:
                return (.inbox, [])
            case .slack(let slack):
                let url = try await credentials.resolve(slack.url)
                return (.transport(SlackTransport(webhookURL: url.revealed, client: client, logger: logger)), [url])
            case .slackApp(let app):
                let token = try await credentials.resolve(app.botToken)
                let api = SlackWebAPI(baseURL: app.apiURL, botToken: token, client: client, logger: logger)
                return (.transport(SlackAppTransport(api: api, channel: app.channel)), [token])
            case .webhook(let webhook):
                let secret = try await credentials.resolve(webhook.signingSecret)
                // The signature's timestamp is wall-clock time, not the scheduling clock: the receiver
                // checks it against its own clock, and `rotor tick --now` must not make it refuse.
                return (.transport(WebhookTransport(url: webhook.url, signingSecret: secret.bytes, client: client, logger: logger)),
                        [secret])
            case .email(let email):
                var password: SecretValue?
                if let reference = email.password { password = try await credentials.resolve(reference) }
                let server = SMTPServer(url: email.smtp, username: email.username, password: password?.revealed,
                                        requireTLS: email.requireTLS, caFile: email.caFile)
                return (.transport(EmailTransport(server: server, from: email.from, to: email.to, client: client, logger: logger)),
                        password.map { [$0] } ?? [])
            }
        } catch {
            // CredentialError names the reference (env:NAME, file:PATH), never what it points at.
            return (.unavailable(reason: "channel '\(name)' (\(channel.type)): its credential could not be read: \(error)",
                                 retryable: true), [])
        }
    }
}
