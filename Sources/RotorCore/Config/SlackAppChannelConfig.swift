/// `type: slack-app`: a Slack app's bot posting with the Web API (`chat.postMessage`), with buttons that Slack
/// sends back to `POST /v1/slack/interactions` on `rotor serve`.
///
/// ```yaml
/// security-slack:
///   type: slack-app
///   bot_token: env:SLACK_BOT_TOKEN           # xoxb-…, needs the chat:write scope
///   signing_secret: env:SLACK_SIGNING_SECRET # Basic Information → App Credentials
///   channel: C0123456789                      # the channel's id, not its name
/// ```
public struct SlackAppChannelConfig: Sendable, Equatable {
    /// Slack's Web API, where `chat.postMessage` and `chat.update` live.
    public static let defaultAPIURL = "https://slack.com/api"

    /// Where the bot token (`Authorization: Bearer xoxb-…`) comes from.
    public var botToken: CredentialReference
    /// Where the signing secret that authenticates Slack's interaction requests comes from.
    public var signingSecret: CredentialReference
    /// The Slack channel id (`C…`, `G…` or `D…`) messages go to.
    public var channel: String
    /// The Web API's base URL, without a trailing slash: Slack's, or the sandbox's emulator.
    public var apiURL: String

    /// A Slack app channel posting to `channel`.
    public init(botToken: CredentialReference, signingSecret: CredentialReference, channel: String,
                apiURL: String = SlackAppChannelConfig.defaultAPIURL) {
        self.botToken = botToken
        self.signingSecret = signingSecret
        self.channel = channel
        self.apiURL = apiURL
    }

    /// Whether `text` has the form of a Slack conversation id: `C`, `G` or `D` and 8 to 20 capitals and digits.
    public static func isChannelID(_ text: String) -> Bool {
        guard let first = text.first, "CGD".contains(first), (9...21).contains(text.count) else { return false }
        return text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }
}
