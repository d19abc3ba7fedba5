/// Replaces known secret values in text with `<redacted>`: the last line of defence before a message
/// is logged, journaled, audited or shown.
public struct Redactor: Sendable {
    private let needles: [String]

    public init(values: [SecretValue], extra: [String] = []) {
        // Longest first, so a value that contains another is replaced whole. Very short values would
        // redact ordinary words; they are not secrets worth the name.
        needles = (values.map(\.revealed) + extra).filter { $0.count >= 6 }.sorted { $0.count > $1.count }
    }

    public func scrub(_ text: String) -> String {
        needles.reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }
}
