import RotorCore

/// Someone who may sign in to the dashboard: a person of rotor.yml's `users:` with the token their reference
/// resolved to, or the admin token's holder (an operator named `admin`).
public struct DashboardAccount: Sendable {
    /// The name the audit log records as the actor.
    public var name: String
    public var role: UserConfig.Role
    /// The token that signs this account in.
    public var token: SecretValue

    public init(name: String, role: UserConfig.Role, token: SecretValue) {
        self.name = name
        self.role = role
        self.token = token
    }

    /// The name the admin token signs in as.
    public static let adminName = "admin"
}
