import RotorCore
import RotorNotifiers

/// A `slack-app` channel as `rotor serve` needs it to answer button clicks: its name in rotor.yml, the Slack channel
/// id its messages are in, the signing secret that authenticates Slack's requests, and the Web API to update them.
public struct SlackAppEndpoint: Sendable {
    /// The channel's name under `channels:` (what playbooks' `notify:` names).
    public var name: String
    /// The Slack channel id.
    public var channel: String
    /// The app's signing secret.
    public var signingSecret: SecretValue
    /// The Web API client acting as the app's bot.
    public var api: SlackWebAPI

    /// An endpoint for channel `name`.
    public init(name: String, channel: String, signingSecret: SecretValue, api: SlackWebAPI) {
        self.name = name
        self.channel = channel
        self.signingSecret = signingSecret
        self.api = api
    }
}
