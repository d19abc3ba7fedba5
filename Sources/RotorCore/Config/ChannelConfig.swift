/// One channel under `channels:` in `rotor.yml`, named in playbooks' `notify:`.
public enum ChannelConfig: Sendable, Equatable {
    /// A Slack incoming webhook.
    case slack(SlackChannelConfig)
    /// A Slack app's bot (Web API), whose messages carry buttons.
    case slackApp(SlackAppChannelConfig)
    /// Plain-text e-mail through an SMTP or SMTPS server.
    case email(EmailChannelConfig)
    /// Signed JSON posts to any HTTP endpoint.
    case webhook(WebhookChannelConfig)
    /// The customer's in-app inbox: the outbox row itself, listed by `rotor notifications list`.
    case outbox

    /// Every `type:` a channel may have.
    public static let types = ["slack", "slack-app", "email", "webhook", "outbox"]

    /// The channel's `type:` as written in `rotor.yml`.
    public var type: String {
        switch self {
        case .slack: "slack"
        case .slackApp: "slack-app"
        case .email: "email"
        case .webhook: "webhook"
        case .outbox: "outbox"
        }
    }
}
