import CPostgres
import Foundation
import Testing

/// The PostgreSQL server tests create their databases (and roles) on, named by ROTOR_TEST_POSTGRES_URL
/// (`make test` and `scripts/with-postgres.sh` start a throwaway one and set it). Suites that need their own
/// connection types add them in an extension.
public struct PostgresTestServer: Sendable {
    public static let variable = "ROTOR_TEST_POSTGRES_URL"

    /// A superuser URL on the server's maintenance database.
    public let adminURL: String

    public init(adminURL: String) {
        self.adminURL = adminURL
    }

    /// The server ROTOR_TEST_POSTGRES_URL names, or nil when it is unset or empty.
    public static func fromEnvironment() -> PostgresTestServer? {
        guard let url = ProcessInfo.processInfo.environment[variable], !url.isEmpty else { return nil }
        return PostgresTestServer(adminURL: url)
    }

    /// The server, or: under CI=true a thrown `Unavailable` (every PostgreSQL case must run there), elsewhere a
    /// recorded warning at `sourceLocation` saying the case was skipped and why, and a cancelled case.
    public static func required(sourceLocation: SourceLocation = #_sourceLocation) throws -> PostgresTestServer {
        if let server = fromEnvironment() { return server }
        if ProcessInfo.processInfo.environment["CI"] == "true" { throw Unavailable() }
        Issue.record("SKIPPED PostgreSQL case: \(variable) is unset; \(Unavailable.how)",
                     severity: .warning, sourceLocation: sourceLocation)
        try Test.cancel("PostgreSQL unavailable: \(variable) is unset")
    }

    /// Fails a PostgreSQL case under CI, where no case may be skipped.
    public struct Unavailable: Error, CustomStringConvertible {
        static let how = "run the tests through `make test`, or one suite as "
            + "`scripts/with-postgres.sh swift test --skip-build --filter <Suite>`"

        public var description: String {
            "PostgreSQL case FAILED: \(PostgresTestServer.variable) is unset under CI=true; \(Self.how)"
        }
    }

    /// A statement on the server that failed; says which statement and what libpq reported (never the URL,
    /// which may hold a password).
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// `prefix` and 32 random lowercase hex digits: a database name no other test uses, safe to splice into SQL.
    public static func uniqueDatabaseName(prefix: String) -> String {
        prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// Creates an empty database called `name` and returns its URL (the admin URL with its path replaced).
    /// `name` must be letters, digits and `_`: CREATE DATABASE takes no parameters, so it is spliced in.
    public func createDatabase(named name: String) async throws -> String {
        precondition(Self.isPlainName(name), "test database names are letters, digits and _")
        guard var components = URLComponents(string: adminURL) else {
            throw Failure(description: "\(Self.variable) is not a URL; set it to postgresql://user@host:port/postgres")
        }
        components.path = "/" + name
        guard let url = components.string else {
            throw Failure(description: "no URL for database \(name) from \(Self.variable)")
        }
        try await execute("CREATE DATABASE \(name)")
        return url
    }

    /// Drops the database `name`, ending the sessions still connected to it.
    public func dropDatabase(named name: String) async throws {
        precondition(Self.isPlainName(name), "test database names are letters, digits and _")
        try await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs one statement on a connection of its own to the admin database, on a thread of its own (libpq blocks).
    public func execute(_ sql: String) async throws {
        let url = adminURL
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            Thread.detachNewThread {
                continuation.resume(with: Result { try Self.executeBlocking(url, sql) })
            }
        }
    }

    private static func executeBlocking(_ url: String, _ sql: String) throws {
        guard let connection = PQconnectdb(url) else {
            throw Failure(description: "PQconnectdb returned nil (out of memory?) connecting to \(variable)")
        }
        defer { PQfinish(connection) }
        guard PQstatus(connection) == CONNECTION_OK else {
            throw Failure(description: "connecting to \(variable): \(String(cString: PQerrorMessage(connection)))")
        }
        let result = PQexec(connection, sql)
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            throw Failure(description: "\(sql) on \(variable): \(String(cString: PQerrorMessage(connection)))")
        }
    }

    private static func isPlainName(_ name: String) -> Bool {
        !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
