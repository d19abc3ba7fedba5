/// The JSON body of a Slack incoming-webhook post: a fallback `text` for notifications, and Block Kit
/// `blocks` for the message itself.
struct SlackMessage: Encodable, Equatable {
    struct Text: Encodable, Equatable {
        var type = "mrkdwn"
        var text: String
    }

    struct Block: Encodable, Equatable {
        var type = "section"
        var text: Text?
        var fields: [Text]?
    }

    var text: String
    var blocks: [Block]

    /// Slack's limits: 3000 characters of section text, 2000 per field, 10 fields per section.
    static let sectionLimit = 3000
    static let fieldLimit = 2000
    private static let fieldsPerSection = 10

    /// The message for `notification`: subject and text in one section (urgent ones start with
    /// ":rotating_light: *URGENT*"), its fields in two columns, its links on one line.
    init(_ notification: NotificationMessage) {
        if let event = notification.event {
            self = SlackMessage(alert: event, notification)
            return
        }
        let alarm = notification.urgent ? ":rotating_light: *URGENT* " : ""
        let subject = Self.escape(notification.subject)
        text = alarm + subject
        let body = notification.text.isEmpty ? "" : "\n" + Self.escape(notification.text)
        blocks = [Block(text: Text(text: Self.truncate(alarm + "*\(subject)*" + body, to: Self.sectionLimit)))]

        let fields = notification.fields.sorted { $0.key < $1.key }.map { name, value in
            Text(text: Self.truncate("*\(Self.escape(name))*\n\(Self.escape(value))", to: Self.fieldLimit))
        }
        for start in stride(from: 0, to: fields.count, by: Self.fieldsPerSection) {
            blocks.append(Block(fields: Array(fields[start..<min(start + Self.fieldsPerSection, fields.count)])))
        }

        if !notification.links.isEmpty {
            let links = notification.links.sorted { $0.key < $1.key }.map { label, url in
                "<\(Self.linkTarget(url))|\(Self.escape(label))>"
            }
            blocks.append(Block(text: Text(text: Self.truncate(links.joined(separator: "  ·  "), to: Self.sectionLimit))))
        }
    }

    /// Slack reads `&`, `<` and `>` as markup; its documentation asks for these three escapes.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;")
            .replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A URL inside `<url|label>`: the characters that would end it are percent-encoded.
    static func linkTarget(_ url: String) -> String {
        url.replacingOccurrences(of: "|", with: "%7C")
            .replacingOccurrences(of: "<", with: "%3C")
            .replacingOccurrences(of: ">", with: "%3E")
    }

    static func truncate(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
