/// The `payload` of a `block_actions` interaction, as far as Rotor reads it: who clicked which button on which
/// message. Everything else Slack sends is ignored.
struct SlackInteraction: Decodable, Sendable {
    struct User: Decodable, Sendable {
        var id: String
        var username: String?
        var name: String?
    }

    struct Container: Decodable, Sendable {
        var messageTS: String?
        var channelID: String?

        enum CodingKeys: String, CodingKey {
            case messageTS = "message_ts"
            case channelID = "channel_id"
        }
    }

    struct Channel: Decodable, Sendable {
        var id: String
    }

    struct Message: Decodable, Sendable {
        var ts: String?
        var text: String?
    }

    struct Action: Decodable, Sendable {
        var actionID: String
        var value: String?

        enum CodingKeys: String, CodingKey {
            case value
            case actionID = "action_id"
        }
    }

    var type: String
    var user: User
    var container: Container?
    var channel: Channel?
    var message: Message?
    var actions: [Action]

    /// The channel the clicked message is in.
    var channelID: String? { container?.channelID ?? channel?.id }
    /// The clicked message's `ts`, which `chat.update` names it by.
    var messageTS: String? { container?.messageTS ?? message?.ts }

    /// The clicking user as the audit log records them: `slack:U123 (name)`. The id is Slack's (capitals and digits);
    /// the name is cut to one short printable line.
    var actor: String {
        let display = (user.username ?? user.name ?? "").unicodeScalars
            .filter { $0.isASCII ? ($0.value >= 0x20 && $0.value < 0x7F && !"()<>&|`".unicodeScalars.contains($0)) : $0.properties.isAlphabetic }
            .prefix(64)
        let name = String(String.UnicodeScalarView(display)).trimmingCharacters(in: .whitespaces)
        return "slack:\(user.id)" + (name.isEmpty ? "" : " (\(name))")
    }

    /// Whether `text` has the form of a Slack user or workspace-member id.
    static func isUserID(_ text: String) -> Bool {
        (2...32).contains(text.count) && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    /// Whether `text` has the form of a message `ts` (`1700000000.000100`).
    static func isMessageTS(_ text: String) -> Bool {
        (3...32).contains(text.count) && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || $0 == "." }
    }
}
