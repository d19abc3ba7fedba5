import Foundation
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `rotor rekey` through the real binary: every sealed value moves to the new key, batch by batch, and a
/// `kill -9` after any batch is finished by running it again.
@Suite("rekey", .serialized)
struct RekeyTests {
    /// The ids of the keys the store's values are sealed under, and whether each value opens with the home's keys.
    static func sealedUnder(_ world: World) async throws -> Set<String> {
        try await world.withStore { tx, sealer in
            var ids = Set<String>()
            for version in try tx.versions(secretName: "app-token") {
                _ = try World.open(version, sealer)
                ids.insert(version.masterKeyID)
            }
            for key in SealedSetting.sealedKeys {
                guard let bytes = try tx.setting(key) else { continue }
                let text = String(decoding: bytes, as: UTF8.self)
                ids.insert(String(text.prefix { $0 != ":" }))
            }
            return ids
        }
    }

    /// The rotation in grace ends (revoking the old value, opened from its re-sealed copy) and a new one runs.
    static func finishAndRotateAgain(_ world: World) async throws {
        let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))])
        #expect(tick.status == 0, "\(tick)")
        let rotate = try await world.run(["rotate", "app-token"])
        #expect(rotate.status == 0, "rotation works after the rekey: \(rotate)")
        #expect(try world.isLive(try #require(try world.fileValue())))
    }

    static var hasTerminal: Bool {
        let tty = open("/dev/tty", O_WRONLY | O_NOCTTY)
        if tty >= 0 { close(tty) }
        return tty >= 0
    }

    static func currentKeyID(_ world: World) throws -> String {
        try MasterKeyLoader.load(home: world.home, environment: [:]).current.id
    }

    static func retiredFiles(_ world: World) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: MasterKeyLoader.retiredDirectory(home: world.home))) ?? []
    }

    @Test(arguments: Backend.allCases)
    func rekeyResealsEverythingUnderANewKeyAndDropsTheOldOne(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
            let old = try Self.currentKeyID(world)
            let before = FileManager.default.contents(atPath: "\(world.home)/master.key")

            let rekey = try await world.run(["rekey", "--batch-size", "1"])
            #expect(rekey.status == 0, "\(rekey)")
            let new = try Self.currentKeyID(world)
            #expect(new != old)
            #expect(FileManager.default.contents(atPath: "\(world.home)/master.key") != before)
            let mode = try FileManager.default.attributesOfItem(atPath: "\(world.home)/master.key")[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            #expect(try await Self.sealedUnder(world) == [new], "every value is sealed under the new key")
            #expect(Self.retiredFiles(world).isEmpty, "the old key is deleted once nothing uses it")
            #expect(rekey.stdout.contains("master key is") || rekey.stdout.contains("Back up"), "\(rekey)")

            let doctor = try await world.run(["doctor"])
            #expect(doctor.status == 0, "\(doctor)")
            try await Self.finishAndRotateAgain(world)
        }
    }

    /// `kill -9` right after each batch commits (ROTOR_FAULT=crash-after:rekey-batch:N), for every N the
    /// rekey has: every value still opens with the keys on disk, `doctor` passes, and running `rekey` again
    /// finishes the interrupted rekey rather than starting another.
    @Test(arguments: Backend.allCases)
    func aRekeyKilledAfterAnyBatchIsFinishedByRunningItAgain(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            #expect(try await world.run(["rotate", "app-token"]).status == 0)
            var batch = 1
            while true {
                let old = try Self.currentKeyID(world)
                let crashed = try await world.run(["rekey", "--batch-size", "1"], env: ["ROTOR_FAULT": "crash-after:rekey-batch:\(batch)"])
                if crashed.status == 0 { break }
                #expect(crashed.status == 137, "the process must die after batch \(batch): \(crashed)")
                let new = try Self.currentKeyID(world)
                #expect(new != old, "the new key is on disk before any value is sealed under it")
                let mixed = try await Self.sealedUnder(world)
                #expect(mixed.isSubset(of: [old, new]) && mixed.contains(new), "batch \(batch): \(mixed)")
                #expect(try await world.run(["doctor"]).status == 0, "every value opens between batches")

                let resumed = try await world.run(["rekey", "--batch-size", "1"])
                #expect(resumed.status == 0, "\(resumed)")
                #expect(resumed.stdout.contains("finishing an interrupted rekey"), "\(resumed)")
                #expect(try Self.currentKeyID(world) == new, "resuming does not make yet another key")
                #expect(try await Self.sealedUnder(world) == [new])
                #expect(Self.retiredFiles(world).isEmpty)
                batch += 1
                try #require(batch < 20, "the rekey never completed")
            }
            #expect(batch > 3, "versions and settings took several batches")
            try await Self.finishAndRotateAgain(world)
        }
    }

    /// With ROTOR_MASTER_KEY nothing is written to disk: the new key comes from standard input, the values move
    /// to it, and the key itself is never printed.
    @Test(arguments: Backend.allCases)
    func rekeyWithTheEnvironmentKeyReadsTheNewKeyAndNeverPrintsIt(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            let oldKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let newKey = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            let env = ["ROTOR_MASTER_KEY": oldKey]
            #expect(try await world.run(["init"], env: env).status == 0)
            try world.vendorAdopt("e2e_env_value_1234")
            try world.setFile("e2e_env_value_1234")
            #expect(try await world.run(["import", "app-token", "--handle", "h_imported"], stdin: "e2e_env_value_1234\n", env: env).status == 0)

            let rekey = try await world.run(["rekey", "--new-key-file", "-"], stdin: newKey + "\n", env: env)
            #expect(rekey.status == 0, "\(rekey)")
            #expect(rekey.stdout.contains("set ROTOR_MASTER_KEY"), "\(rekey)")
            #expect(!rekey.stdout.contains(newKey) && !rekey.stderr.contains(newKey), "the new key is never printed")
            #expect(!FileManager.default.fileExists(atPath: "\(world.home)/master.key"))
            #expect(!FileManager.default.fileExists(atPath: MasterKeyLoader.retiredDirectory(home: world.home)))

            let withNew = try await world.run(["doctor"], env: ["ROTOR_MASTER_KEY": newKey])
            #expect(withNew.status == 0, "\(withNew)")
            let withOld = try await world.run(["doctor"], env: env)
            #expect(withOld.status == 1, "the old key no longer opens the store: \(withOld)")
            #expect(withOld.stdout.contains("[failed] master key opens the store"), "\(withOld)")
            #expect(try await world.run(["rotate", "app-token"], env: ["ROTOR_MASTER_KEY": newKey]).status == 0)
        }
    }

    /// Without a terminal a generated key could only go to standard output or a log: refused, store untouched.
    @Test(.enabled(if: !RekeyTests.hasTerminal, "run from a terminal, rotor would show the key there instead of refusing"))
    func rekeyWithTheEnvironmentKeyAndNoTerminalRefusesToMakeAKey() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let env = ["ROTOR_MASTER_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()]
            #expect(try await world.run(["init"], env: env).status == 0)
            let rekey = try await world.run(["rekey"], env: env)
            #expect(rekey.status == 1, "\(rekey)")
            #expect(rekey.stderr.contains("--new-key-file"), "\(rekey)")
            #expect(try await world.run(["doctor"], env: env).status == 0, "nothing was re-sealed")
        }
    }
}
