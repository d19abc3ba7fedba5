import Foundation

/// The messages Rotor sends, as outbox rows: one per channel, deduplicated by key so a message goes
/// out once however many daemons or retries there are. Texts never carry a value: versions appear as
/// `sk-…x7K2`.
public enum Notices {
    public static func make(kind: String, secret: String, channels: [String], urgent: Bool, subject: String, body: String,
                            dedupe: String, at now: Date) -> [NotificationRecord] {
        channels.map { channel in
            NotificationRecord(id: "ntf_" + RotorIDs.random(), channel: channel, org: nil, secretName: secret, kind: kind,
                               urgent: urgent, subject: (urgent ? "[URGENT] " : "") + subject, body: body,
                               dedupeKey: "\(dedupe):\(channel)", status: .pending, attempts: 0, nextAttemptAt: now, createdAt: now)
        }
    }

    /// The advance warning, with the three ways to postpone. The links and the code are passed sealed
    /// (``ReplyTokens/sealed(_:)``): the outbox row never holds them readable, delivery reveals them.
    public static func warningBody(secret: String, current: String, due: Date, skipLink: String?, rotateLink: String?,
                                   code: String, skipFor: Duration) -> String {
        var lines = [
            "\(secret) will be rotated automatically at \(ISO8601.string(due)).",
            "Current key: \(current). Nothing needs doing: Rotor updates every place that uses it and checks the services.",
            "",
            "To postpone by \(DurationText.format(skipFor)):",
        ]
        if let skipLink { lines.append("  • open \(skipLink)") }
        lines.append("  • reply SKIP (code \(code)), or SKIP 14d for another delay")
        lines.append("  • or run: rotor skip \(secret) --reason \"…\"")
        if let rotateLink { lines.append("To rotate right now instead: \(rotateLink) or reply ROTATE NOW.") }
        return lines.joined(separator: "\n")
    }
}
