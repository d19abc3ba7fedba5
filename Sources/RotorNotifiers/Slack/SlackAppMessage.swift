/// A Slack app message: the fallback `text` notifications show, and Block Kit `blocks` — the sections of an
/// incoming-webhook message (``SlackMessage``) and, for what a person can act on, an `actions` block of buttons.
///
/// Buttons by notification kind (their `action_id` is what `POST /v1/slack/interactions` dispatches on):
/// - `warning`: **Skip** (`skip`) and **Rotate now** (`rotate_now`), each with the secret's name as `value`;
/// - `supply-request`: **Open supply page**, a link button to the one-time supply link (`open_supply`);
/// - `approval-request`: **Approve** (`approve`), with the rotation's id as `value`.
public struct SlackAppMessage: Encodable, Sendable, Equatable {
    /// One Block Kit block: a section (text, fields), an actions block (buttons) or a context line.
    public struct Block: Encodable, Sendable, Equatable {
        public var type: String
        var text: Text?
        var fields: [Text]?
        var elements: [Button]?
        var blockID: String?

        enum CodingKeys: String, CodingKey {
            case type, text, fields, elements
            case blockID = "block_id"
        }
    }

    /// A text object: `mrkdwn` in sections, `plain_text` on buttons.
    struct Text: Encodable, Sendable, Equatable {
        var type = "mrkdwn"
        var text: String
        var emoji: Bool?
    }

    /// A button: its label, the `action_id` Slack sends back, and a `value` or a `url` (a link button).
    public struct Button: Encodable, Sendable, Equatable {
        var type = "button"
        var text: Text
        var actionID: String?
        var value: String?
        var url: String?
        var style: String?

        enum CodingKeys: String, CodingKey {
            case type, text, value, url, style
            case actionID = "action_id"
        }

        /// A button labelled `label` that sends `action` with `value` (or opens `url`) when clicked.
        public init(label: String, action: String, value: String? = nil, url: String? = nil, style: String? = nil) {
            text = Text(type: "plain_text", text: label, emoji: true)
            actionID = action
            self.value = value
            self.url = url
            self.style = style
        }
    }

    /// The `block_id` of the actions block, so that an update can recognise (and drop) it.
    public static let actionsBlockID = "rotor_actions"

    public var text: String
    public var blocks: [Block]

    /// The message for `notification`, with the buttons its kind calls for.
    public init(_ notification: NotificationMessage) {
        let plain = SlackMessage(notification)
        text = plain.text
        blocks = plain.blocks.map { Block(type: $0.type, text: $0.text.map { Text(text: $0.text) }, fields: $0.fields?.map { Text(text: $0.text) }) }
        let buttons = Self.buttons(for: notification)
        if !buttons.isEmpty {
            blocks.append(Block(type: "actions", elements: buttons, blockID: Self.actionsBlockID))
        }
    }

    /// A message of `text`, one section per paragraph (mrkdwn, already escaped) and `buttons`: what a clicked message
    /// becomes.
    public init(text: String, sections: [String], buttons: [Button] = []) {
        self.text = SlackMessage.truncate(text, to: SlackMessage.sectionLimit)
        blocks = sections.filter { !$0.isEmpty }.map { Block(type: "section", text: Text(text: SlackMessage.truncate($0, to: SlackMessage.sectionLimit))) }
        if !buttons.isEmpty { blocks.append(Block(type: "actions", elements: buttons, blockID: Self.actionsBlockID)) }
    }

    /// A warning's buttons: Skip and Rotate now, for `secret`.
    public static func warningButtons(secret: String) -> [Button] {
        [Button(label: "Skip", action: "skip", value: secret, style: "primary"),
         Button(label: "Rotate now", action: "rotate_now", value: secret, style: "danger")]
    }

    /// Slack's `&`, `<` and `>` escapes, for text that goes into a section.
    public static func escape(_ text: String) -> String { SlackMessage.escape(text) }

    static func buttons(for notification: NotificationMessage) -> [Button] {
        switch notification.kind {
        case "warning":
            guard let secret = notification.fields["secret"] else { return [] }
            return warningButtons(secret: secret)
        case "supply-request":
            guard let link = firstLink(in: notification.text, path: "/s/") else { return [] }
            return [Button(label: "Open supply page", action: "open_supply", url: link, style: "primary")]
        case "approval-request":
            guard let rotation = rotationID(in: notification.text) else { return [] }
            return [Button(label: "Approve", action: "approve", value: rotation, style: "primary")]
        default:
            return []
        }
    }

    /// The first `http(s)` URL in `text` whose path starts with `path` (the supply link the request's text carries).
    static func firstLink(in text: String, path: String) -> String? {
        for word in text.split(whereSeparator: { $0.isWhitespace }) {
            let candidate = String(word)
            guard candidate.hasPrefix("https://") || candidate.hasPrefix("http://"), candidate.contains(path),
                  candidate.count <= 3000 else { continue }
            return candidate
        }
        return nil
    }

    /// The first rotation id (`rot_` and 16 letters or digits) in `text`.
    static func rotationID(in text: String) -> String? {
        var rest = text[...]
        while let start = rest.range(of: "rot_") {
            let id = rest[start.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            if id.count == 16 { return "rot_" + id }
            rest = rest[start.upperBound...]
        }
        return nil
    }
}
