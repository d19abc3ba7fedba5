import Foundation
import Logging
import ProviderHTTP
import ProviderManual
import ProviderPostgresRole
import RotorCore
import Testing

/// Builds provider configurations the way Rotor does: from playbook YAML, validated against the real schemas.
enum Playbooks {
    static let catalog = ProviderCatalog([
        HTTPSource.schema, PostgresRoleSource.schema, PostgresLoginCheck.schema, ManualSource.schema,
        // The parser insists on a target; these tests exercise sources and checks only.
        ProviderSchema(kind: .target, name: "noop", fields: []),
    ])

    /// The playbook's source and checks; records every diagnostic as a test failure.
    static func parse(source: String, checks: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws
        -> (source: ProviderConfig, checks: [ProviderConfig]) {
        let yaml = """
            secret: test-secret
            schedule: { every: 30d }
            source:
            \(indent(source))
            targets:
              - { provider: noop }
            \(checks.isEmpty ? "" : "checks:\n" + indent(checks))
            """
        let (playbook, diagnostics) = PlaybookParser(catalog: catalog).parse(file: "test.yml", text: yaml)
        #expect(diagnostics.isEmpty, "\(diagnostics)", sourceLocation: sourceLocation)
        let parsed = try #require(playbook, sourceLocation: sourceLocation)
        return (parsed.source, parsed.checks)
    }

    /// The diagnostics a source configuration gets.
    static func problems(source: String) -> [String] {
        let yaml = """
            secret: test-secret
            schedule: { every: 30d }
            source:
            \(indent(source))
            targets:
              - { provider: noop }
            """
        return PlaybookParser(catalog: catalog).parse(file: "test.yml", text: yaml).1.map { "\($0)" }
    }

    private static func indent(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
    }
}

/// A step context for a provider call.
func stepContext(secret: String = "test-secret", step: RotationStep = .generate, idempotencyKey: String = UUID().uuidString,
                 currentHandle: String? = nil, currentValue: SecretValue? = nil) -> StepContext {
    StepContext(secret: secret, rotationID: "rot-test", step: step, idempotencyKey: idempotencyKey,
                currentHandle: currentHandle, currentValue: currentValue, logger: Logger(label: "test"), clock: SystemClock())
}
