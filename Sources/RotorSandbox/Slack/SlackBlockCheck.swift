/// The Block Kit rules the emulator holds messages to, as far as Rotor's messages use Block Kit: section, actions and
/// context blocks; mrkdwn and plain_text objects; buttons with an action id, a value or a URL. A message Slack would
/// refuse (`invalid_blocks`) is refused here too, so that a test cannot pass with a message Slack would not show.
enum SlackBlockCheck {
    static let sectionTextLimit = 3000
    static let fieldTextLimit = 2000
    static let buttonTextLimit = 75
    static let actionIDLimit = 255
    static let valueLimit = 2000
    static let urlLimit = 3000

    static func check(_ block: JSONValue) throws(SlackError) {
        guard let type = block["type"]?.stringValue else { throw SlackError("invalid_blocks") }
        switch type {
        case "section":
            guard block["text"] != nil || block["fields"] != nil else { throw SlackError("invalid_blocks") }
            if let text = block["text"] { try checkText(text, limit: sectionTextLimit) }
            if let fields = block["fields"] {
                guard let list = fields.arrayValue, list.count <= 10 else { throw SlackError("invalid_blocks") }
                for field in list { try checkText(field, limit: fieldTextLimit) }
            }
        case "actions":
            guard let elements = block["elements"]?.arrayValue, (1...25).contains(elements.count) else {
                throw SlackError("invalid_blocks")
            }
            var ids: Set<String> = []
            for element in elements {
                try checkButton(element)
                if let id = element["action_id"]?.stringValue, !ids.insert(id).inserted { throw SlackError("invalid_blocks") }
            }
        case "context":
            guard let elements = block["elements"]?.arrayValue, (1...10).contains(elements.count) else {
                throw SlackError("invalid_blocks")
            }
            for element in elements { try checkText(element, limit: sectionTextLimit) }
        default:
            throw SlackError("invalid_blocks")
        }
    }

    private static func checkText(_ value: JSONValue, limit: Int, plainOnly: Bool = false) throws(SlackError) {
        guard let type = value["type"]?.stringValue, type == "plain_text" || (type == "mrkdwn" && !plainOnly),
              let text = value["text"]?.stringValue, !text.isEmpty, text.count <= limit else {
            throw SlackError("invalid_blocks")
        }
    }

    private static func checkButton(_ element: JSONValue) throws(SlackError) {
        guard element["type"]?.stringValue == "button", let label = element["text"] else { throw SlackError("invalid_blocks") }
        try checkText(label, limit: buttonTextLimit, plainOnly: true)
        if let id = element["action_id"] {
            guard let text = id.stringValue, !text.isEmpty, text.count <= actionIDLimit else { throw SlackError("invalid_blocks") }
        }
        if let value = element["value"] {
            guard let text = value.stringValue, text.count <= valueLimit else { throw SlackError("invalid_blocks") }
        }
        if let url = element["url"] {
            guard let text = url.stringValue, text.count <= urlLimit,
                  text.hasPrefix("https://") || text.hasPrefix("http://") else { throw SlackError("invalid_blocks") }
        }
        if let style = element["style"] {
            guard style.stringValue == "primary" || style.stringValue == "danger" else { throw SlackError("invalid_blocks") }
        }
    }
}
