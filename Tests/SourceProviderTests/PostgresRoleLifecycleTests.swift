import Foundation
import Logging
@testable import ProviderPostgresRole
import RotorCore
import RotorTestSupport
import Synchronization
import Testing

/// The backstops of the postgres-role source against a real PostgreSQL: the second role made from the first,
/// VALID UNTIL on every password, and the old role's open sessions reported when it is locked.
@Suite("postgres-role lifecycle against a real PostgreSQL")
struct PostgresRoleLifecycleTests {
    private func makeSource(_ yaml: String, server: PostgresTestServer) throws -> PostgresRoleSource {
        let config = try Playbooks.parse(source: "provider: postgres-role\nadmin: env:DB_ADMIN_URL\n" + yaml).source
        return PostgresRoleSource(config: config, credentials: CredentialResolver(
            environment: ["DB_ADMIN_URL": server.adminURL], store: nil, sealer: nil))
    }

    @Test func createCloneMakesTheSecondRoleAMemberOfTheFirst() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles(count: 1) { roles in
            let clone = roles[0] + "_clone"
            try await withCleanup({ try? await server.dropRoles([clone]) }) {
                let source = try makeSource("roles: [\(roles[0]), \(clone)]\ncreate_clone: true", server: server)
                let minted = try await source.mint(stepContext())
                #expect(minted.handle == clone)
                #expect(try await server.login(minted.value.revealed) == clone)
                let member = try await server.admin { session in
                    try session.execute("SELECT pg_has_role(\(try session.literal(clone)), \(try session.literal(roles[0])), 'MEMBER')")
                }
                #expect(member == [["t"]], "the clone inherits the first role's privileges")
                // A second mint on the clone (after the first role was in use again) does not create it twice.
                _ = try await source.mint(stepContext(currentHandle: roles[0]))
            }
        }
    }

    @Test func everyPasswordGetsAValidUntilOfGracePlusTheNextInterval() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles { roles in
            var source = try makeSource("roles: [\(roles[0]), \(roles[1])]", server: server)
            source.passwordLifetime = .seconds(25 * 3600)
            let minted = try await source.mint(stepContext())
            let role = try #require(minted.handle)
            let inRange = try await server.admin { session in
                try session.execute("SELECT rolvaliduntil > now() + interval '24 hours' AND rolvaliduntil < now() + interval '26 hours' "
                                    + "FROM pg_roles WHERE rolname = \(try session.literal(role))")
            }
            #expect(inRange == [["t"]])
        }
    }

    @Test func revokeReportsTheOldRolesOpenSessionsInTheStepDetail() async throws {
        let server = try PostgresTestServer.required()
        try await server.withRoles { roles in
            let source = try makeSource("roles: [\(roles[0]), \(roles[1])]", server: server)
            let old = try await source.mint(stepContext())
            let held = try await HeldConnection.open(old.value.revealed)
            _ = try await source.mint(stepContext(currentHandle: old.handle))
            let notes = Mutex<[String]>([])
            let context = StepContext(secret: "test-secret", rotationID: "rot-test", step: .revokeOld, idempotencyKey: "k",
                                      currentHandle: old.handle, logger: Logger(label: "test"), clock: SystemClock(),
                                      checkpoint: { note in notes.withLock { $0.append(note) } })
            try await source.revoke(StoredCredential(versionID: "v1", value: old.value, handle: old.handle), context)
            await held.close()
            let note = try #require(notes.withLock { $0.first })
            let role = try #require(old.handle)
            #expect(note.contains(#""open_sessions":1"#) && note.contains(role))
            let password = try #require(URLComponents(string: old.value.revealed)?.password)
            #expect(!note.contains(password))
        }
    }
}
