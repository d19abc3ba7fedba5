import ProviderExec
import RotorCore
import Testing

/// Builds exec configurations the way Rotor does: from playbook YAML, validated against the real schemas.
enum ExecPlaybooks {
    static let parser = PlaybookParser(catalog: ProviderCatalog([ExecSource.schema, ExecTarget.schema, ExecCheck.schema]))

    /// A playbook whose source, one target and one check are exec entries with the given lines
    /// (each runs `/bin/true` unless its lines say `command:`).
    static func yaml(source: String = "", target: String = "", check: String = "") -> String {
        """
        secret: test-secret
        schedule: { every: 30d }
        source:
          provider: exec
        \(indent(withCommand(source), by: 2))
        targets:
          - provider: exec
        \(indent(withCommand(target), by: 4))
        checks:
          - provider: exec
        \(indent(withCommand(check), by: 4))
        """
    }

    private static func withCommand(_ lines: String) -> String {
        lines.contains("command:") ? lines : "command: [/bin/true]\n" + lines
    }

    /// The parsed playbook; records every diagnostic as a test failure.
    static func parse(source: String = "", target: String = "", check: String = "",
                      sourceLocation: SourceLocation = #_sourceLocation) throws -> Playbook {
        let (playbook, diagnostics) = parser.parse(file: "test.yml", text: yaml(source: source, target: target, check: check))
        #expect(diagnostics.isEmpty, "\(diagnostics)", sourceLocation: sourceLocation)
        return try #require(playbook, sourceLocation: sourceLocation)
    }

    /// The problems such a playbook has, as `FILE:LINE:COL: error: …` lines.
    static func problems(source: String = "", target: String = "", check: String = "") -> [String] {
        parser.parse(file: "test.yml", text: yaml(source: source, target: target, check: check)).1.map { "\($0)" }
    }

    private static func indent(_ text: String, by spaces: Int) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
}
