import Foundation
import RotorCrypto
import RotorTestSupport
import Testing

/// Shared stores, backup and restore, and the systemd unit, through the real binary.
@Suite("operations", .serialized)
struct OperationsTests {
    /// A second Rotor home against the same store: `init` refuses to make a key the store's values cannot be
    /// opened with, and `doctor` with such a key fails with what to do.
    @Test(arguments: Backend.allCases)
    func aSecondHomeOnTheSameStoreIsRefusedByInitAndFailedByDoctor(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let otherHome = "\(world.dir)/other-home"
            let env = ["ROTOR_HOME": otherHome]

            let secondInit = try await world.run(["init"], env: env)
            #expect(secondInit.status == 1, "\(secondInit)")
            #expect(secondInit.stderr.contains("already holds values sealed under master key"), "\(secondInit)")
            #expect(!FileManager.default.fileExists(atPath: "\(otherHome)/master.key"), "no new key was created")

            // A key made elsewhere (as `init` did before it checked) passes the key checks but not the store's.
            _ = try MasterKeyLoader.create(home: otherHome)
            let doctor = try await world.run(["doctor"], env: env)
            #expect(doctor.status == 1, "\(doctor)")
            #expect(doctor.stdout.contains("[ok] master key"), "\(doctor)")
            #expect(doctor.stdout.contains("[failed] master key opens the store"), "\(doctor)")
            #expect(doctor.stdout.contains("copy its master.key"), "the fix is named: \(doctor)")
            let again = try await world.run(["init"], env: env)
            #expect(again.status == 1, "init with the wrong key fails too: \(again)")

            // The first home is fine.
            let first = try await world.run(["doctor"])
            #expect(first.status == 0, "\(first)")
            #expect(first.stdout.contains("[ok] master key opens the store"), "\(first)")
        }
    }

    /// `rotor backup` copies the SQLite store (0600) and says the key is not in it; the copy, with the key put
    /// back, restores into a fresh home that can rotate.
    @Test func aBackupRestoredIntoAFreshHomeRotates() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let backupFile = "\(world.dir)/rotor-backup.db"
            let backup = try await world.run(["backup", backupFile])
            #expect(backup.status == 0, "\(backup)")
            #expect(backup.stdout.contains("master key is NOT in the backup"), "\(backup)")
            let mode = try FileManager.default.attributesOfItem(atPath: backupFile)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
            let refused = try await world.run(["backup", backupFile])
            #expect(refused.status != 0, "an existing file is never overwritten: \(refused)")

            // Lose the home; restore: the key from where it was kept, the store from the backup.
            let keptKey = try #require(FileManager.default.contents(atPath: "\(world.home)/master.key"))
            try FileManager.default.removeItem(atPath: world.home)
            try FileManager.default.createDirectory(atPath: world.home, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            #expect(FileManager.default.createFile(atPath: "\(world.home)/master.key", contents: keptKey, attributes: [.posixPermissions: 0o600]))
            try FileManager.default.copyItem(atPath: backupFile, toPath: "\(world.home)/rotor.db")

            let doctor = try await world.run(["doctor"])
            #expect(doctor.status == 0, "\(doctor)")
            let rotate = try await world.run(["rotate", "app-token"])
            #expect(rotate.status == 0, "\(rotate)")
            #expect(try world.isLive(try #require(try world.fileValue())))
        }
    }

    /// PostgreSQL: the pg_dump command to run, never the password.
    @Test func backupOfAPostgresStorePrintsPgDumpWithoutThePassword() async throws {
        let world = try await World.make(.postgres)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let backup = try await world.run(["backup", "\(world.dir)/dump.pgc"])
            #expect(backup.status == 0, "\(backup)")
            #expect(backup.stdout.contains("pg_dump --format=custom"), "\(backup)")
            #expect(backup.stdout.contains("master key is NOT in the backup"), "\(backup)")
            if let password = URLComponents(string: world.storeURL)?.password, !password.isEmpty {
                #expect(!backup.stdout.contains(password) && !backup.stderr.contains(password))
            }
            #expect(!FileManager.default.fileExists(atPath: "\(world.dir)/dump.pgc"))
        }
    }

    static var repository: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    static let systemdAnalyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// `make install PREFIX=…` puts the binary and the unit in place, and the unit passes `systemd-analyze verify`.
    @Test(.enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed (scripts/deps.sh installs systemd)"))
    func makeInstallPutsABinaryAndAUnitThatSystemdAccepts() throws {
        let prefix = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-install-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let binDir = URL(fileURLWithPath: RotorProcess.executable).deletingLastPathComponent().path
        let make = try Self.run("/usr/bin/make", ["-C", Self.repository, "install", "PREFIX=\(prefix)", "BIN_DIR=\(binDir)"])
        #expect(make.status == 0, "\(make.output)")
        #expect(FileManager.default.isExecutableFile(atPath: "\(prefix)/bin/rotor"))
        let unit = "\(prefix)/lib/systemd/system/rotor.service"
        let text = try String(contentsOfFile: unit, encoding: .utf8)
        #expect(text.contains("ExecStart=\(prefix)/bin/rotor run"))
        for line in ["StateDirectory=rotor", "ProtectSystem=strict", "NoNewPrivileges=yes", "Restart=on-failure",
                     "PrivateTmp=yes", "ProtectHome=yes", "EnvironmentFile=", "ReadWritePaths=/var/lib/rotor"] {
            #expect(text.contains(line), "the unit sets \(line)")
        }
        let verify = try Self.run(try #require(Self.systemdAnalyze), ["verify", unit])
        #expect(verify.status == 0 && verify.output.isEmpty, "systemd-analyze verify: \(verify.output)")
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
