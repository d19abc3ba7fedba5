extension RotorConfigReader {
    /// `type: slack-app`: two credential references, the channel id, and optionally the Web API's URL.
    func slackApp(_ mapping: MappingView, context: String) -> SlackAppChannelConfig? {
        let sink = reader.sink
        let botToken = credential(required("bot_token", in: mapping, context: context, hint: "bot_token: env:SLACK_BOT_TOKEN"),
                                  what: "the Slack bot token")
        let signingSecret = credential(required("signing_secret", in: mapping, context: context,
                                                hint: "signing_secret: env:SLACK_SIGNING_SECRET"),
                                       what: "the Slack signing secret")
        var channel: String?
        if let node = required("channel", in: mapping, context: context, hint: "channel: C0123456789")?.value,
           let text = reader.string(node, for: "channel") {
            if SlackAppChannelConfig.isChannelID(text) {
                channel = text
            } else {
                sink.report(node, "\(NodeReader.shortQuote(text)) in 'channel' is not a Slack channel id",
                            hint: "use the id (C0123456789), not the name: in Slack, open the channel's details; the id is at the bottom")
            }
        }
        var apiURL = SlackAppChannelConfig.defaultAPIURL
        if let entry = present(mapping["api_url"]), let text = reader.string(entry.value, for: "api_url") {
            if let url = Self.httpURL(text) {
                apiURL = url.hasSuffix("/") ? String(url.dropLast()) : url
            } else {
                sink.report(entry.value, "'api_url' must be an absolute http or https URL",
                            hint: "leave it out for Slack's \(SlackAppChannelConfig.defaultAPIURL); the sandbox prints its own")
            }
        }
        guard let botToken, let signingSecret, let channel else { return nil }
        return SlackAppChannelConfig(botToken: botToken, signingSecret: signingSecret, channel: channel, apiURL: apiURL)
    }
}
