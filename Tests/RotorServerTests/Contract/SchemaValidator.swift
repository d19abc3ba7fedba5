import Foundation
import RotorCore

/// The subset of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that Rotor's document needs: `type`,
/// `required`, `properties`, `additionalProperties: false`, `enum`, `items`, `minLength`, `minimum`,
/// `format: date-time` and local `$ref`s. A keyword outside the subset is reported as a problem rather
/// than skipped, so that the document cannot promise more than this checks.
struct SchemaValidator {
    /// The document the `$ref`s point into.
    let root: JSONValue

    /// Keywords that describe and never constrain.
    static let annotations: Set<String> = ["description", "default", "title", "examples"]
    static let keywords: Set<String> = ["type", "required", "properties", "additionalProperties", "enum", "items",
                                        "minLength", "minimum", "format", "$ref"]

    /// RFC 3339 in UTC with whole seconds: the one form every time in an answer takes.
    static var dateTime: Regex<Substring> { /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/ }

    /// The problems of `value` against `schema`, each with the JSON pointer where it was found; empty when it fits.
    func problems(_ value: JSONValue, _ schema: JSONValue, at pointer: String = "") -> [String] {
        guard let fields = schema.object else { return ["\(pointer): the schema is not an object"] }
        if let reference = fields["$ref"]?.string {
            guard let target = root.resolve(reference) else { return ["\(pointer): unresolved $ref \(reference)"] }
            return problems(value, target, at: pointer)
        }
        var found: [String] = []
        for key in fields.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) {
            found.append("\(pointer): schema keyword \(key) is outside the validated subset")
        }
        if let type = fields["type"]?.string, !Self.has(value, type: type) {
            return found + ["\(pointer): expected \(type), got \(value)"]
        }
        if let allowed = fields["enum"]?.array, !allowed.contains(value) {
            found.append("\(pointer): \(value) is not one of \(allowed)")
        }
        if let format = fields["format"]?.string, format != "date-time" {
            found.append("\(pointer): format \(format) is outside the validated subset")
        }
        if case .string(let text) = value {
            if fields["format"]?.string == "date-time", (try? Self.dateTime.wholeMatch(in: text)) == nil {
                found.append("\(pointer): \(text) is not an RFC 3339 UTC time with whole seconds")
            }
            if case .integer(let least) = fields["minLength"], text.count < least {
                found.append("\(pointer): shorter than \(least)")
            }
        }
        if case .integer(let least) = fields["minimum"], case .integer(let number) = value, number < least {
            found.append("\(pointer): \(number) is below \(least)")
        }
        if case .array(let items) = value, let itemSchema = fields["items"] {
            for (index, item) in items.enumerated() { found += problems(item, itemSchema, at: "\(pointer)/\(index)") }
        }
        if case .object(let members) = value {
            found += objectProblems(members, fields, at: pointer)
        }
        return found
    }

    private func objectProblems(_ members: [String: JSONValue], _ fields: [String: JSONValue], at pointer: String) -> [String] {
        var found: [String] = []
        let properties = fields["properties"]?.object ?? [:]
        for name in fields["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
            found.append("\(pointer): required \(name) is missing")
        }
        for (name, member) in members.sorted(by: { $0.key < $1.key }) {
            if let property = properties[name] {
                found += problems(member, property, at: "\(pointer)/\(name)")
            } else if fields["additionalProperties"] == .bool(false) {
                found.append("\(pointer): \(name) is not a documented property")
            }
        }
        return found
    }

    static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null),
             ("integer", .integer), ("number", .integer), ("number", .number):
            true
        default:
            false
        }
    }

    /// Keys that break the naming rule of HTTP bodies (snake_case), anywhere in `value`.
    static func namingProblems(_ value: JSONValue, at pointer: String = "") -> [String] {
        switch value {
        case .object(let members):
            members.sorted(by: { $0.key < $1.key }).flatMap { name, member in
                ((try? /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.wholeMatch(in: name)) == nil ? ["\(pointer)/\(name) is not snake_case"] : [])
                    + namingProblems(member, at: "\(pointer)/\(name)")
            }
        case .array(let items):
            items.enumerated().flatMap { namingProblems($1, at: "\(pointer)/\($0)") }
        default:
            []
        }
    }
}
