/// The providers of one playbook, built once per run.
struct ResolvedProviders: Sendable {
    let source: any CredentialSource
    let targets: [any SecretTarget]
    let checks: [any SecretCheck]
    /// The `provider:` of the source and of each check, for the step duration metric.
    private let sourceProvider: String
    private let checkProviders: [String]

    init(playbook: Playbook, factory: any ProviderFactory) throws {
        sourceProvider = playbook.source.provider
        checkProviders = playbook.checks.map(\.provider)
        source = try factory.source(for: playbook)
        targets = try playbook.targets.map { try factory.target($0, of: playbook) }
        checks = try playbook.checks.map { try factory.check($0, of: playbook) }
    }

    /// The provider whose concurrency limit a step counts against.
    func provider(of step: RotationStep) -> String? {
        switch step {
        case .propagate(let i), .undoPropagate(let i): targets.indices.contains(i) ? targets[i].provider : nil
        default: nil
        }
    }

    /// The provider that does `step`, as the step duration metric names it (`rotor` for the label changes).
    func metricProvider(of step: RotationStep) -> String {
        switch step {
        case .generate, .revokeOld, .revokeNew: sourceProvider
        case .propagate, .undoPropagate: provider(of: step) ?? "unknown"
        case .verify(let i): checkProviders.indices.contains(i) ? checkProviders[i] : "unknown"
        case .promote, .undoPromote: "rotor"
        }
    }

    /// A step's failure as people read it: named by its target or check (`render srv-api OPENAI_API_KEY: …`),
    /// never by its journal key, and without repeating a label the reason already starts with.
    func describe(_ step: RotationStep, _ reason: String) -> String {
        let label = label(of: step)
        return reason.hasPrefix(label) ? reason : "\(label): \(reason)"
    }

    func label(of step: RotationStep) -> String {
        switch step {
        case .generate: "mint at the source"
        case .propagate(let i), .undoPropagate(let i): targets.indices.contains(i) ? targets[i].label : "target \(i + 1)"
        case .verify(let i): checks.indices.contains(i) ? checks[i].label : "check \(i + 1)"
        case .promote: "promote"
        case .revokeOld: "revoke old credential"
        case .undoPromote: "restore labels"
        case .revokeNew: "revoke new credential"
        }
    }
}
