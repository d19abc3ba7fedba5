import RotorCore

extension NotificationMessage {
    /// The message for an outbox row, identified by the row's id so that every attempt at it carries
    /// the same `X-Rotor-Delivery` header and e-mail Message-ID.
    init(outboxRow row: NotificationRecord) {
        // `Notices` writes "[URGENT] " into urgent subjects for the inbox; the transports add their own
        // marker from `urgent`, so it is taken off here rather than shown twice.
        let marker = "[URGENT] "
        let subject = row.urgent && row.subject.hasPrefix(marker) ? String(row.subject.dropFirst(marker.count)) : row.subject
        var fields: [String: String] = [:]
        if let secret = row.secretName { fields["secret"] = secret }
        if let org = row.org { fields["org"] = org }
        self.init(kind: row.kind, urgent: row.urgent, subject: subject, text: row.body, fields: fields, id: row.id,
                  event: AlertEvent(json: row.event))
    }
}
