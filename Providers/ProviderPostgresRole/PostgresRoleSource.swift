import Foundation
import RotorCore
import RotorCrypto

/// A source that rotates a PostgreSQL login's password, connecting with an admin credential.
///
/// Strategies:
/// - `alternating` (default): two login roles with the same grants (e.g. `app_a`, `app_b`). Each mint sets
///   a new password on the role *not* in use (`StepContext.currentHandle`; without one, the role the current
///   value logs into; with no current value, the first role is taken to be in use) and enables `LOGIN` on it; the handle is that role. The role in use is not
///   touched, so both credentials work through the grace period. Revoke sets `NOLOGIN` on the old role.
///   It does not terminate the old role's sessions: connections opened before or during grace finish their
///   work and drain as pools recycle them, while `NOLOGIN` already refuses every new login. Killing them
///   would turn a planned rotation into errors in every client that had not yet reconnected.
/// - `single`: one role whose password is replaced. **There is no overlap period**: the mint replaces the
///   password at once, so every client still holding the old one fails on its next login until it has the
///   new one; revoke is a no-op, and a rollback sets the previous password back. Use it only where the
///   clients can take that.
///
/// Safety: role names are quoted by libpq (`PQescapeIdentifier`). The password never appears in SQL: its
/// SCRAM-SHA-256 verifier is computed client-side (`PQencryptPasswordConn`) and sent as
/// `ALTER ROLE … PASSWORD 'SCRAM-SHA-256$…'`, so neither statement text nor server logs carry it.
public struct PostgresRoleSource: CredentialSource {
    /// How roles are rotated.
    public enum Strategy: String, Sendable, CaseIterable {
        case alternating, single
    }

    public static let schema = ProviderSchema(kind: .source, name: "postgres-role", fields: [
        FieldSpec("admin", .credentialRef, required: true, doc: "an admin connection URL, e.g. env:DB_ADMIN_URL"),
        FieldSpec("strategy", .enumeration(Strategy.allCases.map(\.rawValue)),
                  doc: "alternating (default: two roles, overlap during grace) or single (no overlap)"),
        FieldSpec("roles", .stringList, doc: "the two login roles an alternating rotation switches between"),
        FieldSpec("role", .nonEmptyString, doc: "the login role a single rotation changes"),
        FieldSpec("format", .enumeration(PostgresCredential.Format.allCases.map(\.rawValue)),
                  doc: "url (default: postgres://ROLE:PASSWORD@HOST:PORT/DB) or json ({\"user\",\"password\"})"),
        FieldSpec("database", .nonEmptyString, doc: "database in the url value; default the admin URL's"),
        FieldSpec("host", .nonEmptyString, doc: "host in the url value; default the admin URL's"),
        FieldSpec("port", .int(1...65535), doc: "port in the url value; default the admin URL's"),
        FieldSpec("password_length", .int(16...128), doc: "characters (letters and digits), default 32"),
        FieldSpec("create_clone", .bool, doc: "alternating: create the second role from the first (GRANT first TO second) when missing"),
    ], rules: { fields in
        let strategy = fields["strategy"]?.stringValue.flatMap(Strategy.init(rawValue:)) ?? .alternating
        let roles = fields["roles"]?.listValue?.compactMap(\.stringValue)
        switch strategy {
        case .alternating:
            guard let roles else { return [("roles", "the alternating strategy needs `roles: [app_a, app_b]`, two login roles with the same grants")] }
            var problems: [ProviderSchema.Problem] = []
            if roles.count != 2 || Set(roles).count != 2 || roles.contains(where: \.isEmpty) {
                problems.append(("roles", "the alternating strategy needs exactly two different role names"))
            }
            if fields["role"] != nil { problems.append(("role", "`role` is for the single strategy; alternating uses `roles`")) }
            return problems
        case .single where fields["create_clone"] != nil:
            return [("create_clone", "`create_clone` makes the second role of an alternating rotation; single has one role")]
        case .single:
            var problems: [ProviderSchema.Problem] = []
            if fields["role"] == nil { problems.append((nil, "the single strategy needs `role`, the login role whose password changes")) }
            if roles != nil { problems.append(("roles", "`roles` is for the alternating strategy; single uses `role`")) }
            return problems
        }
    })

    public let admin: CredentialReference?
    public let strategy: Strategy
    /// The roles this source may change: two for alternating, one for single.
    public let roles: [String]
    let format: PostgresCredential.Format
    let database: String?
    let host: String?
    let port: Int?
    let passwordLength: Int
    let createClone: Bool
    /// How long a minted password stays valid (`VALID UNTIL`): the end of grace plus the next interval, set
    /// from the playbook; nil sets none.
    public var passwordLifetime: Duration?
    let credentials: CredentialResolver
    /// Sees every SQL statement the source sends (tests prove the password never appears in one).
    var recorder: PostgresSession.Recorder?

    /// A source from a validated playbook configuration; `credentials` resolves `admin`.
    public init(config: ProviderConfig, credentials: CredentialResolver) {
        admin = config.string("admin").flatMap { try? CredentialReference(parsing: $0) }
        strategy = config.string("strategy").flatMap(Strategy.init(rawValue:)) ?? .alternating
        roles = strategy == .single ? [config.string("role") ?? ""] : config.strings("roles") ?? []
        format = config.string("format").flatMap(PostgresCredential.Format.init(rawValue:)) ?? .url
        database = config.string("database")
        host = config.string("host")
        port = config.int("port")
        passwordLength = config.int("password_length") ?? 32
        createClone = config.bool("create_clone") ?? false
        self.credentials = credentials
    }

    /// Names the source in messages, e.g. `postgres-role alternating app_a/app_b`.
    public var label: String { "postgres-role \(strategy.rawValue) \(roles.joined(separator: "/"))" }

    /// The role the next mint changes: for alternating, the one that is not `currentHandle`.
    public func roleToMint(currentHandle: String?) -> String {
        guard strategy == .alternating, roles.count == 2 else { return roles.first ?? "" }
        return (currentHandle ?? roles[0]) == roles[0] ? roles[1] : roles[0]
    }

    public func mint(_ context: StepContext) async throws -> MintedCredential {
        let role = roleToMint(currentHandle: try await handleInUse(context))
        guard !role.isEmpty else { throw PostgresRoleError("\(label): no role configured") }
        let password = Base62.randomString(length: passwordLength)
        let now = context.clock.now
        let endpoint = try await withAdmin { session in
            try ensureClone(role, in: session)
            let statement = "ALTER ROLE \(try session.identifier(role)) WITH LOGIN PASSWORD "
                + (try session.literal(try session.scramVerifier(password: password, role: role)))
                + (try validUntilClause(now: now, in: session))
            try session.execute(statement)
            return session.endpoint
        }
        let value = PostgresCredential(user: role, password: password).encoded(
            format, host: host ?? endpoint.host, port: port.map(String.init) ?? endpoint.port, database: database ?? endpoint.database)
        return MintedCredential(value: SecretValue(value), handle: role)
    }

    public func revoke(_ credential: StoredCredential, _ context: StepContext) async throws {
        // single: the mint already replaced the password; there is no second credential to lock.
        guard strategy == .alternating else { return }
        guard let role = credential.handle ?? PostgresCredential(decoding: credential.value, format)?.user else {
            throw PostgresRoleError("\(label): version \(credential.versionID) has no role handle and its value names no user; "
                                    + "set NOLOGIN on the old role by hand")
        }
        // Never lock a role this playbook does not own (an imported value could name the admin role).
        guard roles.contains(role) else {
            throw PostgresRoleError("\(label): refusing to lock role \(role.debugDescription) of version \(credential.versionID): "
                                    + "it is not one of this source's roles; lock it by hand if it is no longer used")
        }
        _ = try await withAdmin { session in
            try session.execute("ALTER ROLE \(try session.identifier(role)) WITH NOLOGIN")
        }
        // A read of the statistics view, on its own connection: a failure to count never fails the revoke.
        if let open = try? await withAdmin(recorded: false, { session in try openSessions(of: role, in: session) }) {
            await reportOpenSessions(open, role: role, context)
        }
    }

    /// Connects with the admin credential and asks who it is: the reference resolves, the server is reachable
    /// and accepts the login. Changes nothing.
    public func readOnlyCheck() async -> ReadOnlyCheck {
        do {
            let user = try await withAdmin(recorded: false) { try $0.execute("SELECT current_user").first?.first ?? nil }
            return .passed("connected with the admin credential \(admin.map(String.init(describing:)) ?? "?") as \(user ?? "?")")
        } catch {
            return .failed("\(error)")
        }
    }

    /// Runs `body` on a connection made with the admin credential, on a thread of its own.
    func withAdmin<T: Sendable>(recorded: Bool = true,
                                        _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        guard let admin else { throw PostgresRoleError("\(label): `admin` is not a credential reference (env:NAME, file:PATH or secret:NAME)") }
        let url = try await credentials.resolve(admin).revealed
        let urlPassword = URLComponents(string: url)?.password.map { [$0, $0.removingPercentEncoding ?? $0] } ?? []
        return try await PostgresSession.run(.uri(url, name: "the admin credential \(admin)", secrets: urlPassword),
                                             recorder: recorded ? recorder : nil, body)
    }
}
