import Foundation

/// The structured event behind an alert, stored with each outbox row (as JSON) so that Slack blocks and
/// webhook bodies are built from it at send time. It names versions by fingerprint and last 4 only: it never
/// holds a secret value.
public struct AlertEvent: Sendable, Codable, Equatable {
    /// A version as an alert shows it.
    public struct Version: Sendable, Codable, Equatable {
        public var fingerprint: String
        public var last4: String
        /// `sk-…x7K2`.
        public var display: String

        public init(fingerprint: String, last4: String, display: String) {
            self.fingerprint = fingerprint
            self.last4 = last4
            self.display = display
        }

        public init(_ summary: SecretVersionSummary) {
            self.init(fingerprint: summary.fingerprint, last4: summary.last4, display: summary.display)
        }
    }

    /// The stable event type, e.g. `rotation.rolled_back`.
    public var type: AlertType
    public var secret: String?
    /// The rotation's state when the event was raised.
    public var state: String?
    public var rotationID: String?
    public var old: Version?
    public var new: Version?
    /// One line per target: its name, and for a failed undo what it holds now.
    public var targets: [String]
    /// What happened, in one sentence.
    public var summary: String
    /// What Rotor already did about it.
    public var done: String
    /// The one command (or link) that fixes it.
    public var fix: String?
    /// True for the reminders sent while it stays unresolved.
    public var reminder: Bool
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case type, secret, state, old, new, targets, summary, done, fix, reminder, at
        case rotationID = "rotation_id"
    }

    public init(type: AlertType, secret: String?, state: String? = nil, rotationID: String? = nil, old: Version? = nil,
                new: Version? = nil, targets: [String] = [], summary: String, done: String, fix: String? = nil,
                reminder: Bool = false, at: Date) {
        self.type = type
        self.secret = secret
        self.state = state
        self.rotationID = rotationID
        self.old = old
        self.new = new
        self.targets = targets
        self.summary = summary
        self.done = done
        self.fix = fix
        self.reminder = reminder
        self.at = at
    }

    /// The plain-text message: what happened, what Rotor did, the fix.
    public var text: String {
        var lines = [summary, "", "What Rotor did: \(done)"]
        if !targets.isEmpty {
            lines.append("Targets:")
            lines += targets.map { "  • \($0)" }
        }
        if let old { lines.append("Old key: \(old.display) (fp \(old.fingerprint))") }
        if let new { lines.append("New key: \(new.display) (fp \(new.fingerprint))") }
        if let fix { lines += ["", "To fix: \(fix)"] }
        if let rotationID { lines.append("Rotation: \(rotationID)") }
        return lines.joined(separator: "\n")
    }

    /// The JSON stored in the outbox row.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISO8601.string(date))
        }
        // Every member is a plain string, list or flag: encoding cannot fail.
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    /// The event stored in an outbox row, or nil for a row without one (or one this version cannot read).
    public init?(json: String?) {
        guard let data = json?.data(using: .utf8) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            guard let date = ISO8601.parse(text) else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 time"))
            }
            return date
        }
        guard let event = try? decoder.decode(AlertEvent.self, from: data) else { return nil }
        self = event
    }
}
