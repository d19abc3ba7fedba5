import Foundation

/// A Slack workspace as a `slack-app` channel sees it: the bot token, the channels it may post to, and every message
/// posted and how it was updated. Checked the way Slack checks (see ``SlackRoutes``); errors are Slack's codes.
struct SlackState: Sendable {
    /// One message the bot posted.
    struct Message: Sendable {
        var channel: String
        var ts: String
        var text: String
        var blocks: JSONValue
        /// The earlier versions, oldest first (each `chat.update` pushes one).
        var history: [JSONValue] = []

        var json: JSONValue {
            ["channel": .string(channel), "ts": .string(ts), "text": .string(text), "blocks": blocks,
             "updates": .int(history.count)]
        }
    }

    let botToken: String
    let channels: [String]
    private(set) var messages: [Message] = []
    /// Calls still to answer `429 ratelimited` (set by `POST /_sandbox/slack/ratelimit`).
    var throttledCalls = 0
    private var sequence = 0

    init(botToken: String, channels: [String]) {
        self.botToken = botToken
        self.channels = channels
    }

    /// Slack's limits the emulator enforces on a message.
    static let textLimit = 40_000
    static let blockLimit = 50

    mutating func post(channel: String?, body: JSONValue, now: Date) throws(SlackError) -> Message {
        let channel = try knownChannel(channel)
        let (text, blocks) = try Self.content(body)
        sequence += 1
        let ts = "\(Int(now.timeIntervalSince1970)).\(String(format: "%06d", sequence % 1_000_000))"
        let message = Message(channel: channel, ts: ts, text: text, blocks: blocks)
        messages.append(message)
        return message
    }

    mutating func update(channel: String?, ts: String?, body: JSONValue) throws(SlackError) -> Message {
        let channel = try knownChannel(channel)
        guard let ts, let index = messages.firstIndex(where: { $0.channel == channel && $0.ts == ts }) else {
            throw SlackError("message_not_found")
        }
        let (text, blocks) = try Self.content(body)
        messages[index].history.append(messages[index].json)
        messages[index].text = text
        messages[index].blocks = blocks
        return messages[index]
    }

    private func knownChannel(_ channel: String?) throws(SlackError) -> String {
        guard let channel, !channel.isEmpty else { throw SlackError("channel_not_found") }
        guard channels.contains(channel) else { throw SlackError("channel_not_found") }
        return channel
    }

    /// The text and blocks of a postMessage or update body, checked as Slack checks them.
    private static func content(_ body: JSONValue) throws(SlackError) -> (String, JSONValue) {
        let text = body["text"]?.stringValue ?? ""
        let blocks = body["blocks"] ?? .array([])
        guard let list = blocks.arrayValue else { throw SlackError("invalid_blocks_format") }
        guard !text.isEmpty || !list.isEmpty else { throw SlackError("no_text") }
        guard text.count <= textLimit else { throw SlackError("msg_too_long") }
        guard list.count <= blockLimit else { throw SlackError("invalid_blocks") }
        for block in list { try SlackBlockCheck.check(block) }
        return (text, blocks)
    }
}

/// A Slack Web API error code, answered as `{"ok": false, "error": code}`.
struct SlackError: Error {
    let code: String
    init(_ code: String) { self.code = code }
}
