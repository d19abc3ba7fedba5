/// A provider field's value as written in the playbook, with a JSON form (for request body templates).
/// Mappings keep the order they were written in.
public indirect enum ConfigValue: Sendable, Equatable, CustomStringConvertible {
    case string(String)
    case int(Int)
    /// A YAML float; kept apart from `int` so a JSON body keeps its numbers as written.
    case double(Double)
    case bool(Bool)
    case list([ConfigValue])
    case map([(String, ConfigValue)])
    case null

    public static func == (lhs: ConfigValue, rhs: ConfigValue) -> Bool {
        switch (lhs, rhs) {
        case let (.string(a), .string(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.bool(a), .bool(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        case (.null, .null): return true
        default: return false
        }
    }

    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The whole number, if this is one.
    public var intValue: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    /// The boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The items, if this is a list.
    public var listValue: [ConfigValue]? {
        if case .list(let value) = self { return value }
        return nil
    }

    /// The entries of a mapping, in written order.
    public var mapValue: [(String, ConfigValue)]? {
        if case .map(let value) = self { return value }
        return nil
    }

    /// The value under `key` in a mapping.
    public subscript(key: String) -> ConfigValue? {
        mapValue?.first { $0.0 == key }?.1
    }

    /// Compact JSON with mapping keys in written order.
    public var jsonText: String {
        switch self {
        case .string(let value): return JSONString.quoted(value)
        case .int(let value): return String(value)
        case .double(let value): return value.isFinite ? String(value) : "null"
        case .bool(let value): return value ? "true" : "false"
        case .null: return "null"
        case .list(let items): return "[" + items.map(\.jsonText).joined(separator: ",") + "]"
        case .map(let entries): return "{" + entries.map { JSONString.quoted($0.0) + ":" + $0.1.jsonText }.joined(separator: ",") + "}"
        }
    }

    public var description: String { jsonText }
}
