/// The playbook's providers, except that the source is one whose mint returns the value a person just supplied.
/// Lives only for the drive that follows the supply, so the value is held in memory and sealed by the generate step.
struct SuppliedValueFactory: ProviderFactory {
    let base: any ProviderFactory
    let source: any CredentialSource

    func source(for playbook: Playbook) throws -> any CredentialSource { source }
    func target(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretTarget { try base.target(config, of: playbook) }
    func check(_ config: ProviderConfig, of playbook: Playbook) throws -> any SecretCheck { try base.check(config, of: playbook) }
}
