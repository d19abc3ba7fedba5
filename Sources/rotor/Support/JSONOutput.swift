import Foundation

/// Every `--json` output: one document with `schema_version`, snake_case keys, times as RFC 3339 UTC with
/// milliseconds, stable and key-sorted, so scripts and diffs see the same bytes every time (README "Scripting").
enum JSONOutput {
    /// Raised when a document's shape changes incompatibly (a key renamed or removed, a meaning changed); new
    /// keys do not raise it.
    static let schemaVersion = 1

    /// `body`'s fields next to `schema_version`. `body` must encode as an object.
    static func document<T: Encodable>(_ body: T) -> String {
        string(JSONDocument(body: body))
    }

    /// `items` under `key`, next to `schema_version`: a top-level array could not carry the version.
    static func document<T: Encodable>(_ items: [T], key: String) -> String {
        string(JSONDocument(body: JSONField(key: key, value: items)))
    }

    /// One compact line of JSON Lines (`body` and `schema_version`), without its line break.
    static func line<T: Encodable>(_ body: T) -> String {
        string(JSONDocument(body: body), pretty: false)
    }

    private static func string<T: Encodable>(_ value: T, pretty: Bool = true) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        // One naming style whatever a type's own coding keys say: rotationID is written rotation_id.
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // UTC with milliseconds, everywhere: scripts measure durations from these.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(timestamp(date))
        }
        // Every type printed here encodes without throwing; should one fail, the document still says its version.
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else {
            return "{\"schema_version\":\(schemaVersion)}"
        }
        return text
    }

    /// `date` as every JSON document writes it: RFC 3339, UTC, milliseconds (`2026-12-01T03:00:00.000Z`).
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
