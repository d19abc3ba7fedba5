/// One person who may sign in to the dashboard (`users:` in rotor.yml): a name for the audit log, a role, and a
/// personal token kept outside the file.
///
/// ```yaml
/// users:
///   - { name: alice, role: operator, token: env:ROTOR_TOKEN_ALICE }
///   - { name: bob, role: viewer, token: file:/run/secrets/rotor-bob }
/// ```
public struct UserConfig: Sendable, Equatable {
    /// What a person may do on the dashboard.
    public enum Role: String, Sendable, Equatable, CaseIterable {
        /// Sees every page; can act on nothing.
        case viewer
        /// Sees every page and can skip, rotate, run an emergency and resolve.
        case `operator`
    }

    /// The name the audit log records as the actor.
    public var name: String
    public var role: Role
    /// The person's sign-in token.
    public var token: CredentialReference

    public init(name: String, role: Role, token: CredentialReference) {
        self.name = name
        self.role = role
        self.token = token
    }
}
