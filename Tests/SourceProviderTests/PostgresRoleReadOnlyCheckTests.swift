import Foundation
@testable import ProviderPostgresRole
import RotorCore
import RotorTestSupport
import Testing

/// `rotor doctor`'s read-only call for postgres-role: connect with the admin credential, change nothing.
@Suite("postgres-role read-only check")
struct PostgresRoleReadOnlyCheckTests {
    private func source(adminURL: String?) throws -> PostgresRoleSource {
        let config = try Playbooks.parse(source: "provider: postgres-role\nadmin: env:DB_ADMIN_URL\nroles: [rotor_a, rotor_b]").source
        return PostgresRoleSource(config: config, credentials: CredentialResolver(
            environment: adminURL.map { ["DB_ADMIN_URL": $0] } ?? [:], store: nil, sealer: nil))
    }

    @Test func theAdminCredentialConnects() async throws {
        let server = try PostgresTestServer.required()
        let check = try await source(adminURL: server.adminURL).readOnlyCheck()
        guard case .passed(let detail) = check else { Issue.record("\(check)"); return }
        #expect(detail.contains("env:DB_ADMIN_URL"), "\(detail)")
    }

    @Test func aWrongPasswordOrAnUnsetVariableFailsClearlyWithoutShowingThePassword() async throws {
        let server = try PostgresTestServer.required()
        var url = try #require(URLComponents(string: server.adminURL))
        let canary = "canary-pg-password-81c4"
        url.password = canary
        let wrong = try await source(adminURL: try #require(url.string)).readOnlyCheck()
        guard case .failed(let detail) = wrong else { Issue.record("\(wrong)"); return }
        #expect(!detail.contains(canary), "\(detail)")
        #expect(detail.contains("env:DB_ADMIN_URL"), "\(detail)")

        let unset = try await source(adminURL: nil).readOnlyCheck()
        #expect(unset == .failed("env:DB_ADMIN_URL is not set; export DB_ADMIN_URL in rotor's environment"))
    }
}
