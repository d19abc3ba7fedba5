import Foundation
@testable import RotorCore
@testable import RotorStore
import RotorTestSupport
import Testing

/// A credential the source minted but the store could not keep would be valid at the vendor with no record of
/// it anywhere: the runner revokes it at once and journals that it did.
@Suite("Runner generate")
struct RunnerGenerateTests {
    @Test(arguments: RunnerWorld.Backend.allCases)
    func aMintedCredentialThatCannotBeStoredIsRevoked(_ backend: RunnerWorld.Backend) async throws {
        let world = try await RunnerWorld.make(targets: 1, checks: 1, backend: backend)
        try await withCleanup({ await world.close() }) {
            try await Self.refuseNewVersions(world.store, backend)
            let outcome = try await world.rotate(with: world.runner(owner: "host-a:runner"))
            #expect(outcome.rotation.state == .rolledBack)

            let vendor = world.vendor.snapshot
            #expect(vendor.mintedByKey.count == 1)
            #expect(vendor.mintedByKey.values.allSatisfy { !vendor.valid.contains($0) }, "the unstored credential is revoked")
            #expect(vendor.valid == [RunnerWorld.oldValue])
            let snapshot = try await world.snapshot()
            #expect(snapshot.journal.contains { $0.step == "generate.compensate" && $0.phase == .succeeded })
            #expect(snapshot.audit.contains { $0.action == "step.generate.compensate" && $0.outcome == "succeeded" })
            try await world.checkInvariants(settled: true, "after the failed store")
        }
    }

    /// Makes every insert of a secret version fail, as a full disk or a broken constraint would.
    static func refuseNewVersions(_ store: any Store, _ backend: RunnerWorld.Backend) async throws {
        let sql = try #require(store as? SQLStore)
        try await sql.sqlTransaction { tx in
            switch backend {
            case .sqlite:
                _ = try tx.execute("CREATE TRIGGER refuse_versions BEFORE INSERT ON secret_versions BEGIN SELECT RAISE(ABORT, 'disk full'); END")
            case .postgres:
                _ = try tx.execute("CREATE FUNCTION refuse_versions() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$ LANGUAGE plpgsql")
                _ = try tx.execute("CREATE TRIGGER refuse_versions BEFORE INSERT ON secret_versions FOR EACH ROW EXECUTE FUNCTION refuse_versions()")
            }
        }
    }
}
