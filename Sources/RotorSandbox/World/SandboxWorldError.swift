/// A world file that cannot be used: unreadable, not YAML or JSON of the right shape, or
/// describing an impossible world (a link to a missing service, two apps with one name).
public struct SandboxWorldError: Error, CustomStringConvertible, Equatable {
    /// The file, or `<world>` for a world built in code.
    public let source: String
    /// Every problem found, each naming the field it concerns.
    public let problems: [String]

    /// Creates an error.
    public init(source: String, problems: [String]) {
        self.source = source
        self.problems = problems
    }

    public var description: String {
        let list = problems.map { "  - \($0)" }.joined(separator: "\n")
        return "sandbox world \(source) is not usable:\n\(list)\n"
            + "Fix the world file (see SandboxWorld's documentation for its shape) or run the sandbox without --world."
    }
}
