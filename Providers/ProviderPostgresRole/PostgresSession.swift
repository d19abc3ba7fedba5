import CPostgres
import Foundation

/// One libpq connection for one operation, on a thread of its own.
///
/// libpq calls block (connecting, `PQexec`), so they must never run on Swift's cooperative thread pool:
/// ``run(_:_:)`` starts a dedicated `Thread`, connects there, runs the operation's body, closes the
/// connection and only then resumes the caller. The connection never leaves that thread, so this type is
/// deliberately not `Sendable`. Role rotation does a handful of statements a few times a year: a thread
/// per operation costs nothing that matters and keeps no idle connection to the server.
final class PostgresSession {
    /// Called with the text of every statement before it is sent (tests use it to prove what SQL carries).
    typealias Recorder = @Sendable (String) -> Void

    /// How to connect, and how to talk about it without revealing it.
    struct Target: Sendable {
        /// libpq keyword/value pairs, later ones overriding earlier ones.
        var parameters: [(String, String)]
        /// Whether `dbname` holds a connection URI or conninfo string to expand.
        var expandDatabase: Bool
        /// Says where the credential came from in messages, e.g. `env:DB_ADMIN_URL` or `the new credential`.
        var name: String
        /// Texts to scrub from every message (the URL, the password).
        var secrets: [String]

        /// A connection URI or conninfo string, as is.
        static func uri(_ uri: String, name: String, secrets: [String] = [], connectTimeout: Int = 10) -> Target {
            Target(parameters: Self.defaults(connectTimeout) + [("dbname", uri)], expandDatabase: true,
                   name: name, secrets: secrets + [uri])
        }

        /// Separate fields; nothing in them is parsed as a URI.
        static func fields(user: String, password: String, host: String, port: Int, database: String,
                           name: String, connectTimeout: Int = 10) -> Target {
            Target(parameters: Self.defaults(connectTimeout) + [("host", host), ("port", String(port)), ("dbname", database),
                                                                ("user", user), ("password", password)],
                   expandDatabase: false, name: name, secrets: [password])
        }

        private static func defaults(_ connectTimeout: Int) -> [(String, String)] {
            // libpq waits forever by default; it rounds anything under 2 s up to 2 s.
            [("connect_timeout", String(max(connectTimeout, 2))), ("application_name", "rotor")]
        }
    }

    private let connection: OpaquePointer
    private let target: Target
    private let recorder: Recorder?

    private init(connection: OpaquePointer, target: Target, recorder: Recorder?) {
        self.connection = connection
        self.target = target
        self.recorder = recorder
    }

    /// Connects to `target` on a new thread, runs `body` there with the session, closes it and returns what
    /// `body` returned. Throws ``PostgresRoleError`` when the server cannot be reached or refuses the login.
    static func run<T: Sendable>(_ target: Target, recorder: Recorder? = nil,
                                 _ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let thread = Thread {
                continuation.resume(with: Result {
                    let session = try PostgresSession.connect(target, recorder: recorder)
                    defer { PQfinish(session.connection) }
                    return try body(session)
                })
            }
            thread.name = "rotor-pg-role"
            thread.start()
        }
    }

    private static func connect(_ target: Target, recorder: Recorder?) throws -> PostgresSession {
        var keywords: [UnsafeMutablePointer<CChar>?] = target.parameters.map { strdup($0.0) }
        var values: [UnsafeMutablePointer<CChar>?] = target.parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            // The values may hold a password: wipe them before giving the memory back.
            values.forEach { if let value = $0 { memset(value, 0, strlen(value)); free(value) } }
        }
        keywords.append(nil)
        values.append(nil)
        let handle: OpaquePointer? = keywords.withUnsafeBufferPointer { k in
            values.withUnsafeBufferPointer { v in
                k.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: k.count) { kp in
                    v.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: v.count) { vp in
                        PQconnectdbParams(kp, vp, target.expandDatabase ? 1 : 0)
                    }
                }
            }
        }
        guard let handle else { throw PostgresRoleError("cannot connect with \(target.name): libpq is out of memory") }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.trimmed(String(cString: PQerrorMessage(handle)))
            PQfinish(handle)
            throw PostgresRoleError("cannot connect with \(target.name): \(scrub(message, target.secrets))")
        }
        // libpq prints NOTICEs on stderr by default.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return PostgresSession(connection: handle, target: target, recorder: recorder)
    }

    // MARK: - Statements

    /// Runs `sql` (one statement, no parameters) and returns its rows as text; NULL is nil.
    @discardableResult
    func execute(_ sql: String) throws -> [[String?]] {
        recorder?(sql)
        guard let result = PQexec(connection, sql) else {
            throw PostgresRoleError("lost the connection (\(target.name)): \(serverMessage())")
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK:
            return []
        case PGRES_TUPLES_OK:
            return (0..<PQntuples(result)).map { row in
                (0..<PQnfields(result)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
        default:
            // The primary message only: DETAIL can quote values.
            let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) } ?? serverMessage()
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { " (SQLSTATE \(String(cString: $0)))" } ?? ""
            throw PostgresRoleError("\(target.name): the server refused the statement: \(Self.scrub(primary, target.secrets))\(state)")
        }
    }

    /// `name` quoted as an SQL identifier (`"app ""x"""`), by the server's own rules for this connection's encoding.
    func identifier(_ name: String) throws -> String {
        guard let quoted = PQescapeIdentifier(connection, name, strlen(name)) else {
            throw PostgresRoleError("\(target.name): cannot quote the role name \(name.debugDescription): \(serverMessage())")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// `text` as an SQL string literal, by the server's own quoting rules.
    func literal(_ text: String) throws -> String {
        guard let quoted = PQescapeLiteral(connection, text, strlen(text)) else {
            throw PostgresRoleError("\(target.name): cannot quote a literal: \(serverMessage())")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    /// The SCRAM-SHA-256 verifier of `password` for `role`, computed here in the client: what the server
    /// stores, from which the password cannot be recovered. Sending it instead of the password keeps the
    /// password out of SQL text, server logs and `pg_stat_activity`.
    func scramVerifier(password: String, role: String) throws -> String {
        guard let verifier = PQencryptPasswordConn(connection, password, role, "scram-sha-256") else {
            throw PostgresRoleError("\(target.name): cannot compute the SCRAM-SHA-256 verifier: \(serverMessage())")
        }
        defer { PQfreemem(verifier) }
        return String(cString: verifier)
    }

    /// The host, port and database this session is connected to.
    var endpoint: (host: String, port: String, database: String) {
        (PQhost(connection).map { String(cString: $0) } ?? "",
         PQport(connection).map { String(cString: $0) } ?? "",
         PQdb(connection).map { String(cString: $0) } ?? "")
    }

    private func serverMessage() -> String {
        Self.scrub(Self.trimmed(String(cString: PQerrorMessage(connection))), target.secrets)
    }

    private static func trimmed(_ message: String) -> String {
        message.trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: "\n", with: " ")
    }

    static func scrub(_ text: String, _ secrets: [String]) -> String {
        secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
            .reduce(text) { $0.replacingOccurrences(of: $1, with: "<redacted>") }
    }
}
