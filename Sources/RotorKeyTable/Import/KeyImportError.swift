/// Why an import was refused before anything was written: every bad line as `FILE:LINE: problem`. Never carries a
/// key, nor any value of the input (a key pasted into the wrong column would otherwise be echoed).
public struct KeyImportError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Problem: Sendable, Equatable {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }
    }

    /// Problems listed in the message; the rest are counted.
    public static let shownLimit = 50

    public var file: String
    /// The first ``shownLimit`` problems, in line order.
    public var problems: [Problem]
    /// All problems found, including those not kept.
    public var total: Int

    public init(file: String, problems: [Problem], total: Int) {
        self.file = file
        self.problems = problems
        self.total = total
    }

    public var description: String {
        var lines = problems.map { "\(file):\($0.line): \($0.message)" }
        if total > problems.count { lines.append("… and \(total - problems.count) more problem(s)") }
        lines.append("nothing was imported; fix the lines above and run the import again")
        return lines.joined(separator: "\n")
    }
}
