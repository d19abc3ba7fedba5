import Foundation
import RotorCore

/// Any JSON value, so that JSON Rotor stored as text (a journal entry's plan) is printed as a nested object
/// rather than as a string a script would have to parse a second time.
enum JSONValue: Codable, Equatable {
    case string(String), integer(Int), number(Double), bool(Bool), null
    case array([JSONValue]), object([String: JSONValue])

    /// The object or array `text` holds; nil for anything else (plain text stays text). Times in it are
    /// rewritten in the one format of every JSON document (``JSONOutput/timestamp(_:)``), whatever precision
    /// they were stored with.
    init?(parsing text: String) {
        guard let first = text.first, first == "{" || first == "[",
              let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)) else { return nil }
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

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        if case .array(let values) = self {
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
            return
        }
        if case .object(let values) = self {
            // A keyed container, not a dictionary: JSONEncoder writes its keys in snake_case like every other key.
            var container = encoder.container(keyedBy: JSONKey.self)
            for (key, value) in values { try container.encode(value, forKey: JSONKey(key)) }
            return
        }
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        default: try container.encodeNil()
        }
    }
}
