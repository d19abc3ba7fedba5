import Foundation

/// The JSON body of a webhook delivery.
struct WebhookPayload: Encodable {
    var id: String?
    var kind: String
    var urgent: Bool
    var subject: String
    var text: String
    var links: [String: String]
    var fields: [String: String]
    var sentAt: String

    enum CodingKeys: String, CodingKey {
        case id, kind, urgent, subject, text, links, fields
        case sentAt = "sent_at"
    }

    init(_ notification: NotificationMessage, sentAt: Date) {
        id = notification.id
        kind = notification.kind
        urgent = notification.urgent
        subject = notification.subject
        text = notification.text
        links = notification.links
        fields = notification.fields
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        self.sentAt = formatter.string(from: sentAt)
    }

    /// Sorted keys, so the same notification always gives the same bytes.
    func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
