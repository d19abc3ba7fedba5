/// What went wrong talking to PostgreSQL for a role rotation or a login check: which credential reference
/// or role, and the server's message. Never carries a password or a connection URL's password.
public struct PostgresRoleError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}
