import Foundation
import RotorCore

/// The JSON body of a webhook delivery.
struct WebhookPayload: Encodable {
    var id: String?
    /// The stable event type of an alert: `rotation.failed`, `rotation.rolled_back`, … (see `AlertType`);
    /// absent on other messages (warnings, skips), which `kind` describes.
    var type: String?
    /// The alert's structured event (secret, state, versions by last 4, targets, what was done, the fix).
    var event: AlertEvent?
    var kind: String
    var urgent: Bool
    var subject: String
    var text: String
    var links: [String: String]
    var fields: [String: String]
    var sentAt: String

    enum CodingKeys: String, CodingKey {
        case id, type, event, kind, urgent, subject, text, links, fields
        case sentAt = "sent_at"
    }

    init(_ notification: NotificationMessage, sentAt: Date) {
        id = notification.id
        type = notification.event?.type.rawValue
        event = notification.event
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
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.string(date))
        }
        return Array(try encoder.encode(self))
    }
}
