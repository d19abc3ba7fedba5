import Foundation
@testable import ProviderPostgresRole
import RotorCrypto
import RotorTestSupport

/// Roles for the PostgreSQL role source tests: created with passwords nobody knows, dropped afterwards.
/// Here rather than in RotorTestSupport because they run on ProviderPostgresRole's internal session.
extension PostgresTestServer {
    /// Random role names for one test, with `prefix` (which may need quoting).
    static func roleNames(_ prefix: String = "rotor_t", count: Int = 2) -> [String] {
        let tag = Base62.randomString(length: 8).lowercased()
        return (0..<count).map { "\(prefix)_\(tag)_\(["a", "b", "c"][$0])" }
    }

    /// Creates login roles (with a password nobody knows) that may connect to the admin URL's database.
    func createRoles(_ names: [String]) async throws {
        try await admin { session in
            for name in names {
                let role = try session.identifier(name)
                try session.execute("CREATE ROLE \(role) LOGIN PASSWORD \(try session.literal(Base62.randomString(length: 40)))")
            }
        }
    }

    /// Drops roles, ending their sessions first (a held connection would block DROP ROLE).
    func dropRoles(_ names: [String]) async throws {
        try await admin { session in
            for name in names {
                try session.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(try session.literal(name))")
                try session.execute("DROP ROLE IF EXISTS \(try session.identifier(name))")
            }
        }
    }

    /// Runs `body` on a connection to the admin database, on a thread of its own.
    func admin<T: Sendable>(_ body: @escaping @Sendable (PostgresSession) throws -> T) async throws -> T {
        try await PostgresSession.run(.uri(adminURL, name: "the test server"), body)
    }

    /// A fresh connection with `credential` (a URL): the rows of `SELECT current_user`, or the error.
    func login(_ credentialURL: String) async throws -> String? {
        try await PostgresSession.run(.uri(credentialURL, name: "the test login")) { session in
            try session.execute("SELECT current_user").first?.first ?? nil
        }
    }

    /// Creates `count` roles with random names starting with `prefix`, runs `body`, and drops them whatever happens.
    func withRoles<T>(_ prefix: String = "rotor_t", count: Int = 2, _ body: ([String]) async throws -> T) async throws -> T {
        let roles = Self.roleNames(prefix, count: count)
        try await createRoles(roles)
        do {
            let result = try await body(roles)
            try await dropRoles(roles)
            return result
        } catch {
            try? await dropRoles(roles)
            throw error
        }
    }
}
