import Foundation
import RotorTestSupport
import Testing

@Suite("init and doctor", .serialized)
struct InitDoctorTests {
    @Test func initCreatesAMode0600KeyAndDoctorPasses() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let result = try await world.run(["init"])
            #expect(result.status == 0, "\(result)")
            let attributes = try FileManager.default.attributesOfItem(atPath: "\(world.home)/master.key")
            #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
            #expect((attributes[.size] as? NSNumber)?.intValue == 32)
            let doctor = try await world.run(["doctor"])
            #expect(doctor.status == 0, "\(doctor)")
            #expect(doctor.stdout.contains("[ok] master key"))
            #expect(doctor.stdout.contains("schema version 11"))  // 4: key index, 5: key retention, 6: audit simulated_now, 7: awaiting_value, 8: audit chain, 9: awaiting_approval, 10: dashboard sessions, 11: audit filter indexes
            // Running init again keeps the key.
            let before = FileManager.default.contents(atPath: "\(world.home)/master.key")
            #expect(try await world.run(["init"]).status == 0)
            #expect(FileManager.default.contents(atPath: "\(world.home)/master.key") == before)
        }
    }

    @Test func doctorFailsWithAFixItOnAKeyOthersCanRead() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: "\(world.home)/master.key")
            let doctor = try await world.run(["doctor"])
            #expect(doctor.status == 1)
            #expect(doctor.stdout.contains("[failed] master key"))
            #expect(doctor.stdout.contains("chmod 600"), "\(doctor)")
            // Every other command refuses too, with the same hint.
            let status = try await world.run(["status"])
            #expect(status.status != 0)
            #expect(status.stderr.contains("chmod 600"), "\(status)")
        }
    }

    @Test func doctorFailsWhenTheStoreIsUnreachable() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let doctor = try await world.run(["doctor"], env: ["ROTOR_STORE": "postgres://rotor:hunter2-secret@127.0.0.1:1/none"])
            #expect(doctor.status == 1)
            #expect(doctor.stdout.contains("[failed] store"))
            #expect(!doctor.stdout.contains("hunter2-secret") && !doctor.stderr.contains("hunter2-secret"), "the password is never shown")
        }
    }
}
