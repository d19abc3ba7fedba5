import Foundation
import RotorCore

/// The values `{{name}}` placeholders stand for in one request, and how each is inserted where it lands:
/// as is in header values, percent-encoded in URLs, and inside JSON string values of a body (which are then
/// serialized with JSON escaping), so an inserted quote or brace can never change a request's structure.
///
/// Rendering is a single pass: text that a placeholder inserts is never scanned again, so a value that
/// happens to contain `{{token}}` cannot pull the token into the request.
struct Placeholders {
    /// What each available placeholder stands for.
    var values: [String: String]
    /// Placeholders that exist but cannot be used here, with the reason (e.g. `value` during mint).
    var unavailable: [String: String]

    /// `text` with every placeholder replaced by `escape(value)`; throws for an unknown or unavailable one,
    /// naming `place` (e.g. "mint url").
    func render(_ text: String, in place: String, escape: (String) -> String = { $0 }) throws -> String {
        var out = ""
        var rest = text[...]
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                rest = rest[open.lowerBound...]
                break
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if let value = values[name] {
                out += escape(value)
            } else if let reason = unavailable[name] {
                throw HTTPSourceError("\(place) uses {{\(name)}}, but \(reason)")
            } else {
                let known = (Array(values.keys) + Array(unavailable.keys)).sorted().map { "{{\($0)}}" }.joined(separator: ", ")
                throw HTTPSourceError("\(place) uses the unknown placeholder {{\(name)}}; the known ones are \(known)")
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// A URL template rendered with every inserted value percent-encoded (only RFC 3986 unreserved
    /// characters pass), so a handle like `a/../b` stays one path segment.
    func renderURL(_ text: String, in place: String) throws -> String {
        try render(text, in: place) { $0.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "" }
    }

    /// A JSON body template with placeholders replaced inside string values only; keys, numbers and
    /// structure stay exactly as written.
    func renderJSON(_ value: ConfigValue, in place: String) throws -> ConfigValue {
        switch value {
        case .string(let text):
            return .string(try render(text, in: place))
        case .list(let items):
            return .list(try items.map { try renderJSON($0, in: place) })
        case .map(let entries):
            return .map(try entries.map { ($0.0, try renderJSON($0.1, in: "\(place).\($0.0)")) })
        case .int, .double, .bool, .null:
            return value
        }
    }

    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
