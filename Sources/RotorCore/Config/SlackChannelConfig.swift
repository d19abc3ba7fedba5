/// `type: slack`: a Slack incoming webhook.
public struct SlackChannelConfig: Sendable, Equatable {
    /// Where the webhook URL comes from. Slack's webhook URLs carry their credential in the path, so
    /// the URL itself is a secret and `rotor.yml` only says where to find it.
    public var url: CredentialReference

    /// A Slack channel posting to the URL `url` resolves to.
    public init(url: CredentialReference) {
        self.url = url
    }
}
