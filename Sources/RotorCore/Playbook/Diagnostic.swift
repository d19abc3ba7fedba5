/// One problem found in a playbook, at the position of the offending YAML node.
///
/// Printed as `FILE:LINE:COL: error: message (hint)`; encoded for `--json` as
/// `{"file", "line", "column", "message", "hint"}` with `hint` null when there is none.
/// Messages never quote values of fields that may hold credentials.
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible, Codable {
    /// Where the offending node starts (for a missing key: the mapping that lacks it).
    public var location: PlaybookLocation
    /// What is wrong.
    public var message: String
    /// What to do about it (a did-you-mean, the accepted forms), when there is something useful to say.
    public var hint: String?

    /// A problem at `location`.
    public init(location: PlaybookLocation, message: String, hint: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// One line, always: a message or hint quoting a value with a line break or an escape sequence (a YAML
    /// string can hold any character) shows it escaped, so it cannot forge another `FILE:LINE:COL` line.
    public var description: String {
        ControlCharacters.escaped("\(location): error: \(message)" + (hint.map { " (\($0))" } ?? ""))
    }

    private enum CodingKeys: String, CodingKey {
        case file, line, column, message, hint
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        location = PlaybookLocation(file: try container.decode(String.self, forKey: .file),
                                  line: try container.decode(Int.self, forKey: .line),
                                  column: try container.decode(Int.self, forKey: .column))
        message = try container.decode(String.self, forKey: .message)
        hint = try container.decodeIfPresent(String.self, forKey: .hint)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(location.file, forKey: .file)
        try container.encode(location.line, forKey: .line)
        try container.encode(location.column, forKey: .column)
        try container.encode(message, forKey: .message)
        try container.encode(hint, forKey: .hint)
    }
}
