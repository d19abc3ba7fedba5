import Foundation

/// Audit events as CSV (RFC 4180) or JSON (one object per event), oldest first.
public enum AuditExport {
    /// The export's fields in column order: the CSV header and the JSON key (snake_case), and how each
    /// reads an event. One list serves both formats, so their names and order cannot drift apart; nil
    /// is an empty CSV field and a key left out of the JSON.
    private static let fields: [(name: String, value: @Sendable (AuditEvent) -> String?)] = [
        ("timestamp", { ISO8601.string($0.at) }),
        ("subject", { $0.subject }),
        ("subject_kind", { $0.subjectKind }),
        ("action", { $0.action }),
        ("old_fingerprint", { $0.oldFingerprint }),
        ("old_last4", { $0.oldLast4 }),
        ("new_fingerprint", { $0.newFingerprint }),
        ("new_last4", { $0.newLast4 }),
        ("trigger", { $0.trigger }),
        ("actor", { $0.actor }),
        ("reason", { $0.reason }),
        ("outcome", { $0.outcome }),
        ("rotation_id", { $0.rotationID }),
        ("detail", { $0.detail }),
        ("simulated_now", { $0.simulatedNow ? "true" : nil }),
    ]

    /// The CSV header, in order.
    public static let columns = fields.map(\.name)

    /// One event as the JSON export shows it: an object keyed by the CSV column names.
    public struct Row: Encodable, Equatable, Sendable {
        public var event: AuditEvent

        public init(_ event: AuditEvent) {
            self.event = event
        }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: FieldKey.self)
            for field in AuditExport.fields {
                // The time as a Date, so it reads like every other time of the JSON output (the encoder's format).
                if field.name == "timestamp" {
                    try container.encode(event.at, forKey: FieldKey(stringValue: field.name))
                } else if field.name == "simulated_now" {
                    // A boolean, left out for what really happened.
                    if event.simulatedNow { try container.encode(true, forKey: FieldKey(stringValue: field.name)) }
                } else {
                    try container.encodeIfPresent(field.value(event), forKey: FieldKey(stringValue: field.name))
                }
            }
        }

        private struct FieldKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }

    /// RFC 4180: CRLF line ends; a field with a comma, a double quote, CR or LF is quoted and its quotes doubled.
    /// A field starting with `=`, `+`, `-`, `@`, TAB or CR is prefixed with `'` so a spreadsheet never runs it as
    /// a formula (OWASP's list: some spreadsheets skip a leading TAB or CR and read the formula after it).
    /// `value` is applied to every value first: the command line escapes control characters when it prints to
    /// a terminal.
    public static func csv(_ events: [AuditEvent], value: (String) -> String = { $0 }) -> String {
        var out = columns.joined(separator: ",") + "\r\n"
        for event in events {
            out += fields.map { csvField(value($0.value(event) ?? "")) }.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// One CSV field, quoted as RFC 4180 asks and defused against spreadsheet formulas (see ``csv(_:value:)``).
    public static func csvField(_ raw: String) -> String {
        var field = raw
        // Unicode scalars, not Characters: "\r\n" is one Character, equal neither to "\r" nor to "\n".
        if let first = field.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { field = "'" + field }
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
