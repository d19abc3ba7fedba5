import Foundation
@testable import ProviderPostgresRole
import RotorCore
import RotorTestSupport
import Synchronization
import Testing

@Suite("postgres-role source against a real PostgreSQL")
struct PostgresRoleSourceTests {
    /// The source, with the admin URL in its environment as env:DB_ADMIN_URL.
    private func makeSource(_ yaml: String, server: PostgresTestServer, adminURL: String? = nil) throws -> PostgresRoleSource {
        let config = try Playbooks.parse(source: "provider: postgres-role\nadmin: env:DB_ADMIN_URL\n" + yaml).source
        return PostgresRoleSource(config: config, credentials: CredentialResolver(
            environment: ["DB_ADMIN_URL": adminURL ?? server.adminURL], store: nil, sealer: nil))
    }

    private func loginCheck(_ yaml: String = "{ provider: postgres-login, retries: 0 }") throws -> PostgresLoginCheck {
        PostgresLoginCheck(config: try #require(try Playbooks.parse(source: "provider: postgres-role\nadmin: env:X\nroles: [a, b]", checks: "- " + yaml).checks.first))
    }

    private func stored(_ minted: MintedCredential, _ version: String) -> StoredCredential {
        StoredCredential(versionID: version, value: minted.value, handle: minted.handle)
    }

    @Test func alternatingKeepsTheOldLoginThroughGraceLocksItAtRevokeAndAlternatesAgain() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles() { roles in
            let source = try makeSource("roles: [\(roles[0]), \(roles[1])]", server: server)
            let check = try loginCheck()

            // With no handle in use, the first role is taken to be in use: the second is minted.
            let old = try await source.mint(stepContext())
            #expect(old.handle == roles[1])
            let pooled = try await HeldConnection.open(old.value.revealed)

            let new = try await source.mint(stepContext(currentHandle: old.handle))
            #expect(new.handle == roles[0])
            #expect(new.value.revealed.hasPrefix("postgres://\(roles[0]):"))
            try await check.verify(new.value, stepContext(step: .verify(0)))
            // Grace: the connection opened before the rotation still works, and the old login still opens new ones.
            #expect(try await pooled.query("SELECT current_user") == [[roles[1]]])
            #expect(try await server.login(old.value.revealed) == roles[1])

            try await source.revoke(stored(old, "v1"), stepContext(step: .revokeOld, currentHandle: old.handle))
            let refused = await #expect(throws: PostgresRoleError.self) { try await server.login(old.value.revealed) }
            #expect(refused?.description.contains("not permitted to log in") == true)
            #expect(try await server.login(new.value.revealed) == roles[0])
            // Sessions are left to drain rather than killed.
            #expect(try await pooled.query("SELECT 1") == [["1"]])
            await pooled.close()

            let next = try await source.mint(stepContext(currentHandle: new.handle))
            #expect(next.handle == roles[1])
            #expect(try await server.login(next.value.revealed) == roles[1])
            #expect(try await server.login(new.value.revealed) == roles[0])
            #expect(next.value != old.value)
        }
    }

    @Test func singleReplacesThePasswordAtOnceWithNoOverlap() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles(count: 1) { roles in
            let source = try makeSource("strategy: single\nrole: \(roles[0])", server: server)

            let old = try await source.mint(stepContext())
            #expect(try await server.login(old.value.revealed) == roles[0])
            let new = try await source.mint(stepContext(currentHandle: old.handle))
            #expect(new.handle == roles[0])
            await #expect(throws: PostgresRoleError.self) { try await server.login(old.value.revealed) }
            #expect(try await server.login(new.value.revealed) == roles[0])
            // Revoke has nothing left to do, and must not lock the one role.
            try await source.revoke(stored(old, "v1"), stepContext(step: .revokeOld))
            #expect(try await server.login(new.value.revealed) == roles[0])
        }
    }

    @Test func singleRollbackSetsTheOldPasswordBackAndTheNewOneNoLongerLogsIn() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles(count: 1) { roles in
            let source = try makeSource("strategy: single\nrole: \(roles[0])", server: server)
            let old = try await source.mint(stepContext())
            let new = try await source.mint(stepContext(currentHandle: old.handle))
            await #expect(throws: PostgresRoleError.self) { try await server.login(old.value.revealed) }

            // The runner's undo of generate after a failed check.
            let outcome = try await source.revokeNew(stored(new, "v2"), previous: stored(old, "v1"), stepContext(step: .revokeOld))
            #expect(outcome == .revoked)
            #expect(try await server.login(old.value.revealed) == roles[0])
            await #expect(throws: PostgresRoleError.self) { try await server.login(new.value.revealed) }
        }
    }

    @Test func alternatingWithoutAHandleMintsOnTheRoleTheCurrentValueDoesNotLogInto() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles() { roles in
            let source = try makeSource("roles: [\(roles[0]), \(roles[1])]", server: server)
            // The value in use belongs to the second role, and was imported without `--handle`.
            let current = try await source.mint(stepContext(currentHandle: roles[0]))
            #expect(current.handle == roles[1])

            let new = try await source.mint(stepContext(currentValue: current.value))
            #expect(new.handle == roles[0])
            // Grace: the role in use was not touched.
            #expect(try await server.login(current.value.revealed) == roles[1])
            #expect(try await server.login(new.value.revealed) == roles[0])
        }
    }

    @Test func alternatingWithoutAHandleRefusesAValueThatBelongsToNeitherRole() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles() { roles in
            let source = try makeSource("roles: [\(roles[0]), \(roles[1])]", server: server)
            let error = await #expect(throws: PostgresRoleError.self) {
                try await source.mint(stepContext(currentValue: SecretValue("not-a-password-of-either-role")))
            }
            #expect(error?.description.contains("--handle ROLE") == true)
        }
    }

    @Test func roleNamesThatNeedQuotingAreRotatedSafely() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles(#"app "x" ;--"#) { roles in
            let yamlRoles = roles.map { "'\($0)'" }.joined(separator: ", ")
            let source = try makeSource("roles: [\(yamlRoles)]", server: server)

            let old = try await source.mint(stepContext())
            let new = try await source.mint(stepContext(currentHandle: old.handle))
            #expect(new.handle == roles[0])
            try await loginCheck().verify(new.value, stepContext(step: .verify(0)))
            #expect(try await server.login(new.value.revealed) == roles[0])
            try await source.revoke(stored(old, "v1"), stepContext(step: .revokeOld))
            await #expect(throws: PostgresRoleError.self) { try await server.login(old.value.revealed) }
        }
    }

    @Test func thePasswordNeverAppearsInSQLTextOnlyItsSCRAMVerifier() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles() { roles in
            var source = try makeSource("roles: [\(roles[0]), \(roles[1])]\nformat: json", server: server)
            let statements = Mutex<[String]>([])
            source.recorder = { sql in statements.withLock { $0.append(sql) } }

            let minted = try await source.mint(stepContext())
            let credential = try #require(PostgresCredential(decoding: minted.value, .json))
            #expect(credential.user == roles[1])
            #expect(credential.password.count == 32)
            try await source.revoke(stored(minted, "v1"), stepContext(step: .revokeOld))

            let sent = statements.withLock { $0 }
            #expect(sent.count == 2)
            #expect(!sent.contains { $0.contains(credential.password) })
            #expect(sent.first?.hasPrefix("ALTER ROLE \"\(roles[1])\" WITH LOGIN PASSWORD 'SCRAM-SHA-256$4096:") == true)
            #expect(sent.last == "ALTER ROLE \"\(roles[1])\" WITH NOLOGIN")
        }
    }

    @Test func theJSONFormatLogsInThroughTheCheckWithHostPortAndDatabase() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles() { roles in
            let source = try makeSource("roles: [\(roles[0]), \(roles[1])]\nformat: json", server: server)
            let admin = try #require(URLComponents(string: server.adminURL))

            let minted = try await source.mint(stepContext())
            let check = try loginCheck("{ provider: postgres-login, format: json, host: '\(admin.host ?? "")', port: \(admin.port ?? 5432), "
                                       + "database: '\(admin.path.dropFirst())', retries: 0 }")
            try await check.verify(minted.value, stepContext(step: .verify(0)))
        }
    }

    @Test func aConnectionFailureNamesTheReferenceAndNotThePassword() async throws {
        let server = try PostgresTestServer.required()
        var components = try #require(URLComponents(string: server.adminURL))
        components.password = "not-the-Password-42"
        let source = try makeSource("roles: [a_role, b_role]", server: server, adminURL: try #require(components.url).absoluteString)

        let error = await #expect(throws: PostgresRoleError.self) { try await source.mint(stepContext()) }
        let text = try #require(error).description
        #expect(text.contains("env:DB_ADMIN_URL"))
        #expect(text.contains("password authentication failed"))
        #expect(!text.contains("not-the-Password-42"))
    }

    @Test func theLoginCheckFailsClearlyForAWrongPasswordAndPassesForTheRightOne() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles() { roles in
            let minted = try await makeSource("roles: [\(roles[0]), \(roles[1])]", server: server).mint(stepContext())
            var wrong = try #require(URLComponents(string: minted.value.revealed))
            wrong.password = "Wrong-password-77"
            let check = try loginCheck("{ provider: postgres-login, retries: 1, interval: 1s, timeout: 5s }")

            let error = await #expect(throws: PostgresRoleError.self) {
                try await check.verify(SecretValue(try #require(wrong.string)), stepContext(step: .verify(0)))
            }
            let text = try #require(error).description
            #expect(text.contains("check postgres-login failed after 2 attempts"))
            #expect(text.contains("password authentication failed for user \"\(roles[1])\""))
            #expect(!text.contains("Wrong-password-77"))
            try await check.verify(minted.value, stepContext(step: .verify(0)))
        }
    }
}
