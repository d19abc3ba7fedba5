import CPostgres
import Foundation
import Testing

/// Databases of their own for end-to-end tests, on the server named by ROTOR_TEST_POSTGRES_URL
/// (`make test` starts one). Under CI=true a missing server fails the test; elsewhere it is skipped
/// with a recorded warning that says why.
public enum TestPostgres {
    public static let variable = "ROTOR_TEST_POSTGRES_URL"

    public static var adminURL: String? {
        ProcessInfo.processInfo.environment[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    public struct Unavailable: Error, CustomStringConvertible {
        public var description: String {
            "PostgreSQL case FAILED: \(TestPostgres.variable) is unset under CI=true; run the tests through `make test`"
        }
    }

    /// Creates an empty database and returns its URL.
    public static func createDatabase(sourceLocation: SourceLocation = #_sourceLocation) async throws -> (url: String, name: String) {
        guard let admin = adminURL else {
            if ProcessInfo.processInfo.environment["CI"] == "true" { throw Unavailable() }
            Issue.record("SKIPPED PostgreSQL case: \(variable) is unset; run the tests through `make test`",
                         severity: .warning, sourceLocation: sourceLocation)
            try Test.cancel("PostgreSQL unavailable")
        }
        let name = "rotor_e2e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute(admin, "CREATE DATABASE \(name)")
        var components = URLComponents(string: admin)!
        components.path = "/" + name
        return (components.string!, name)
    }

    public static func dropDatabase(_ name: String) async {
        guard let admin = adminURL else { return }
        try? await execute(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// One statement on a connection of its own, on a thread of its own (libpq blocks).
    public static func execute(_ url: String, _ sql: String) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            Thread.detachNewThread {
                guard let connection = PQconnectdb(url) else {
                    continuation.resume(throwing: TestFailure("PQconnectdb returned nil"))
                    return
                }
                defer { PQfinish(connection) }
                guard PQstatus(connection) == CONNECTION_OK else {
                    continuation.resume(throwing: TestFailure("connect: \(String(cString: PQerrorMessage(connection)))"))
                    return
                }
                let result = PQexec(connection, sql)
                defer { PQclear(result) }
                let status = PQresultStatus(result)
                if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
                    continuation.resume()
                } else {
                    continuation.resume(throwing: TestFailure("\(sql): \(String(cString: PQerrorMessage(connection)))"))
                }
            }
        }
    }
}

public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
