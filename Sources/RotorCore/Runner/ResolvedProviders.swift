/// The providers of one playbook, built once per run.
struct ResolvedProviders: Sendable {
    let source: any CredentialSource
    let targets: [any SecretTarget]
    let checks: [any SecretCheck]

    init(playbook: Playbook, factory: any ProviderFactory) throws {
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

    func label(of step: RotationStep) -> String {
        switch step {
        case .generate: "generate"
        case .propagate(let i), .undoPropagate(let i): targets.indices.contains(i) ? targets[i].label : step.key
        case .verify(let i): checks.indices.contains(i) ? checks[i].label : step.key
        case .promote: "promote"
        case .revokeOld: "revoke old credential"
        case .undoPromote: "restore labels"
        case .revokeNew: "revoke new credential"
        }
    }
}
