/// A position in a playbook file: 1-based line and column (columns count Unicode scalars, as libyaml does).
public struct PlaybookLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file as it was named to the parser.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, in Unicode scalars.
    public var column: Int

    /// A position in `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `FILE:LINE:COL`.
    public var description: String { "\(file):\(line):\(column)" }
}
