/// The type of one provider field, checked when a playbook is parsed.
public indirect enum FieldType: Sendable, Equatable {
    /// Any string (numbers are taken as written).
    case string
    /// A string with something other than whitespace in it.
    case nonEmptyString
    /// A whole number, optionally within a range.
    case int(ClosedRange<Int>?)
    /// `true` or `false`.
    case bool
    /// A duration such as `30s` or `2w` (see `DurationText`).
    case duration
    /// A list of strings.
    case stringList
    /// One of the given words.
    case enumeration([String])
    /// A list of distinct words, each one of the given ones (e.g. Vercel environments).
    case enumList([String])
    /// A mapping of strings to strings (e.g. HTTP headers).
    case stringMap
    /// Any YAML value that has a JSON form (e.g. a request body template).
    case json
    /// Where a credential comes from: `env:NAME`, `file:PATH` or `secret:NAME`. Never the credential itself.
    case credentialRef
    /// The environment a command gets: variable names mapped to credential references. Rotor's own
    /// variables (`env:ROTOR_…`) are refused: they are never handed to a command.
    case environment
    /// An absolute `http` or `https` URL (`{{…}}` template placeholders allowed).
    case url
    /// A JSON Pointer (RFC 6901): `""` or `/a/b`.
    case jsonPointer
    /// A nested mapping with its own fields.
    case object([FieldSpec])

    /// How the type is named in messages: "a string", "a list of strings", ...
    var expectation: String {
        switch self {
        case .string: return "a string"
        case .nonEmptyString: return "a non-empty string"
        case .int(let range): return range.map { "a whole number from \($0.lowerBound) to \($0.upperBound)" } ?? "a whole number"
        case .bool: return "true or false"
        case .duration: return "a duration (\(DurationText.forms))"
        case .stringList: return "a list of strings"
        case .enumeration(let words): return "one of " + words.joined(separator: ", ")
        case .enumList(let words): return "a list of " + words.joined(separator: ", ")
        case .stringMap: return "a mapping of names to strings"
        case .json: return "any value"
        case .credentialRef: return "a credential reference (env:NAME, file:PATH or secret:NAME)"
        case .environment: return "a mapping of variable names to credential references (env:NAME, file:PATH or secret:NAME)"
        case .url: return "an absolute http or https URL"
        case .jsonPointer: return "a JSON pointer (\"\" or /a/b)"
        case .object: return "a mapping"
        }
    }
}
