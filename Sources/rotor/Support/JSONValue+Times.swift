import Foundation
import RotorCore

/// JSON Rotor stored as text (a journal entry's plan, a notification's event) is printed as a nested object
/// rather than as a string a script would have to parse a second time.
extension JSONValue {
    /// The object or array `text` holds; nil for anything else (plain text stays text). Times in it are
    /// rewritten in the one format of every JSON document (``JSONOutput/timestamp(_:)``), whatever precision
    /// they were stored with.
    init?(parsing text: String) {
        guard let first = text.first, first == "{" || first == "[",
              let value = try? JSONValue.parse(Array(text.utf8)) else { return nil }
        self = value.withTimesNormalised()
    }

    private func withTimesNormalised() -> JSONValue {
        switch self {
        case .string(let text):
            // Only full date-times ("2026-12-01T03:00:00Z"): a bare date or a word stays as it is.
            guard text.count >= 20, text.contains("T"), let date = ISO8601.parse(text) else { return self }
            return .string(JSONOutput.timestamp(date))
        case .array(let values): return .array(values.map { $0.withTimesNormalised() })
        case .object(let values): return .object(values.mapValues { $0.withTimesNormalised() })
        default: return self
        }
    }
}
