/// Why `rotor.yml` could not be used: every problem found, each at `FILE:LINE:COL`.
///
/// Messages name keys and positions, never the values of credential fields: a secret pasted where a
/// reference belongs must not reach a terminal or a CI log.
public struct RotorConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The file as it was named.
    public var file: String
    /// The problems, in position order.
    public var diagnostics: [Diagnostic]

    /// An error for `file` with `diagnostics`.
    public init(file: String, diagnostics: [Diagnostic]) {
        self.file = file
        self.diagnostics = diagnostics
    }

    public var description: String {
        let count = diagnostics.count
        return "\(file) is not a valid Rotor configuration (\(count) problem\(count == 1 ? "" : "s")):\n"
            + diagnostics.map { "  \($0)" }.joined(separator: "\n")
            + "\nfix \(count == 1 ? "it" : "them") and run the command again"
    }
}
