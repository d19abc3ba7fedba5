import Logging
import RotorCore
import RotorHTTP

/// Delivers notifications to a Slack channel as a Slack app's bot (`type: slack-app`): `chat.postMessage` with
/// Block Kit blocks and, on warnings, supply and approval requests, buttons (see ``SlackAppMessage``).
///
/// Slack's `ok: false` answers are permanent except throttling and Slack's own failures (see ``SlackWebAPI``).
public struct SlackAppTransport: NotificationTransport {
    private let api: SlackWebAPI
    private let channel: String

    /// A transport posting to `channel` through `api`.
    public init(api: SlackWebAPI, channel: String) {
        self.api = api
        self.channel = channel
    }

    public func deliver(_ notification: NotificationMessage) async throws {
        try await api.postMessage(channel: channel, SlackAppMessage(notification))
    }
}
