import Foundation
@testable import ProviderPostgresRole
import RotorCore
import Testing

@Suite("postgres-role configuration, without a server")
struct PostgresRoleConfigTests {
    private func makeSource(_ yaml: String) throws -> PostgresRoleSource {
        let config = try Playbooks.parse(source: "provider: postgres-role\nadmin: env:DB_ADMIN_URL\n" + yaml).source
        return PostgresRoleSource(config: config, credentials: CredentialResolver(environment: [:], store: nil, sealer: nil))
    }

    @Test func alternatingMintsTheRoleThatIsNotInUse() throws {
        let source = try makeSource("roles: [app_a, app_b]")
        #expect(source.strategy == .alternating)
        #expect(source.roleToMint(currentHandle: nil) == "app_b")
        #expect(source.roleToMint(currentHandle: "app_b") == "app_a")
        #expect(source.roleToMint(currentHandle: "app_a") == "app_b")
    }

    @Test func theSchemaRejectsRoleListsThatCannotAlternate() {
        #expect(Playbooks.problems(source: "provider: postgres-role\nadmin: env:X\nroles: [a, b, c]")
            .contains { $0.contains("exactly two different role names") })
        #expect(Playbooks.problems(source: "provider: postgres-role\nadmin: env:X\nroles: [a, a]")
            .contains { $0.contains("exactly two different role names") })
        #expect(Playbooks.problems(source: "provider: postgres-role\nadmin: env:X")
            .contains { $0.contains("needs `roles") })
        #expect(Playbooks.problems(source: "provider: postgres-role\nadmin: env:X\nstrategy: single")
            .contains { $0.contains("needs `role`") })
        #expect(Playbooks.problems(source: "provider: postgres-role\nadmin: DB_URL\nroles: [a, b]")
            .contains { $0.contains("credential reference") })
    }

    @Test func revokeRefusesToLockARoleTheSourceDoesNotOwn() async throws {
        let source = try makeSource("roles: [app_a, app_b]")
        let admin = StoredCredential(versionID: "v0", value: SecretValue("postgres://postgres:x@db/app"), handle: nil)
        let error = await #expect(throws: PostgresRoleError.self) { try await source.revoke(admin, stepContext(step: .revokeOld)) }
        #expect(error?.description.contains("refusing to lock role \"postgres\"") == true)
    }

    @Test func urlValuesEncodeAnyRoleNameAndPassword() throws {
        let credential = PostgresCredential(user: #"app "x"@1"#, password: "p:w/d")
        let url = credential.encoded(.url, host: "db.internal", port: "5433", database: "app db")
        #expect(url == "postgres://app%20%22x%22%401:p%3Aw%2Fd@db.internal:5433/app%20db")
        let decoded = try #require(PostgresCredential(decoding: SecretValue(url), .url))
        #expect(decoded.user == #"app "x"@1"#)
        #expect(decoded.password == "p:w/d")
        #expect(credential.encoded(.url, host: "::1", port: "5432", database: "d").contains("@[::1]:5432/d"))
        #expect(credential.encoded(.json, host: "", port: "", database: "") == #"{"user":"app \"x\"@1","password":"p:w/d"}"#)
    }

    @Test func theLoginCheckSchemaNeedsServerFieldsForJSON() {
        let yaml = """
            secret: s
            schedule: { every: 30d }
            source: { provider: postgres-role, admin: "env:X", roles: [a, b] }
            targets: [ { provider: noop } ]
            checks: [ { provider: postgres-login, format: json, host: db } ]
            """
        let problems = PlaybookParser(catalog: Playbooks.catalog).parse(file: "t.yml", text: yaml).1.map { "\($0)" }
        #expect(problems.contains { $0.contains("format json needs `port`") })
        #expect(problems.contains { $0.contains("format json needs `database`") })
    }
}
