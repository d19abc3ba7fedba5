import Foundation

/// A message the emulated Slack holds, as tests and `GET /_sandbox/slack/messages` see it.
public struct SandboxSlackMessage: Sendable, Equatable {
    /// The channel id it was posted to.
    public var channel: String
    /// Slack's id of the message.
    public var ts: String
    /// The fallback text.
    public var text: String
    /// The Block Kit blocks, as JSON text.
    public var blocks: String
    /// How many times `chat.update` replaced it.
    public var updates: Int
}

extension Sandbox {
    /// The messages posted to the emulated Slack, oldest first, as they read now (after any update).
    public func slackMessages() async -> [SandboxSlackMessage] {
        await store.withSlack { state, _ in
            state.messages.map { SandboxSlackMessage(channel: $0.channel, ts: $0.ts, text: $0.text, blocks: $0.blocks.serialized,
                                                     updates: $0.history.count) }
        }
    }

    /// Makes the next `calls` Web API calls answer 429 `ratelimited` with `Retry-After: 1`.
    public func throttleSlack(calls: Int) async {
        await store.withSlack { state, _ in state.throttledCalls = calls }
    }
}
