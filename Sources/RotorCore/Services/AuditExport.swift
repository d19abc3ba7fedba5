import Foundation

/// Audit events as CSV (RFC 4180) or JSON, one row per event, oldest first.
public enum AuditExport {
    public static let columns = ["timestamp", "subject", "subject_kind", "action", "old_fingerprint", "old_last4",
                                 "new_fingerprint", "new_last4", "trigger", "actor", "reason", "outcome", "rotation_id", "detail"]

    public struct Row: Codable, Equatable, Sendable {
        public var timestamp: String
        public var subject: String
        public var subjectKind: String
        public var action: String
        public var oldFingerprint: String?
        public var oldLast4: String?
        public var newFingerprint: String?
        public var newLast4: String?
        public var trigger: String?
        public var actor: String
        public var reason: String?
        public var outcome: String
        public var rotationID: String?
        public var detail: String?

        enum CodingKeys: String, CodingKey {
            case timestamp, subject, action, trigger, actor, reason, outcome, detail
            case subjectKind = "subject_kind"
            case oldFingerprint = "old_fingerprint"
            case oldLast4 = "old_last4"
            case newFingerprint = "new_fingerprint"
            case newLast4 = "new_last4"
            case rotationID = "rotation_id"
        }

        public init(_ event: AuditEvent) {
            timestamp = ISO8601.string(event.at)
            subject = event.subject
            subjectKind = event.subjectKind
            action = event.action
            oldFingerprint = event.oldFingerprint
            oldLast4 = event.oldLast4
            newFingerprint = event.newFingerprint
            newLast4 = event.newLast4
            trigger = event.trigger
            actor = event.actor
            reason = event.reason
            outcome = event.outcome
            rotationID = event.rotationID
            detail = event.detail
        }

        var fields: [String] {
            [timestamp, subject, subjectKind, action, oldFingerprint ?? "", oldLast4 ?? "", newFingerprint ?? "",
             newLast4 ?? "", trigger ?? "", actor, reason ?? "", outcome, rotationID ?? "", detail ?? ""]
        }
    }

    /// RFC 4180: CRLF line ends; a field with a comma, a double quote, CR or LF is quoted and its quotes doubled.
    /// A field starting with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet never runs it as a formula.
    public static func csv(_ events: [AuditEvent]) -> String {
        var out = columns.joined(separator: ",") + "\r\n"
        for event in events {
            out += Row(event).fields.map(csvField).joined(separator: ",") + "\r\n"
        }
        return out
    }

    static func csvField(_ raw: String) -> String {
        var field = raw
        if let first = field.first, "=+-@".contains(first) { field = "'" + field }
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
