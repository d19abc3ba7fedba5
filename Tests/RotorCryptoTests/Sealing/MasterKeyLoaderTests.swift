import Foundation
import RotorCrypto
import Testing

// Serialized: some tests change the process-wide umask.
@Suite("MasterKeyLoader, on real files in a temporary directory", .serialized)
struct MasterKeyLoaderTests {
    @Test func createMakesHome0700AndKeyFile0600() throws {
        try withTemporaryDirectory { root in
            let home = root + "/.rotor"
            let previous = umask(0o022)
            defer { umask(previous) }
            let key = try MasterKeyLoader.create(home: home)
            #expect(try permissions(of: home) == 0o700)
            let path = MasterKeyLoader.keyPath(home: home)
            #expect(path == home + "/master.key")
            #expect(try permissions(of: path) == 0o600)
            let contents = try #require(FileManager.default.contents(atPath: path))
            #expect(contents.count == 32)
            #expect(try MasterKey(bytes: Array(contents)) == key)
        }
    }

    @Test func createGivesExactModesWhateverTheUmask() throws {
        try withTemporaryDirectory { root in
            let previous = umask(0o277)  // would strip owner write from 0600
            defer { umask(previous) }
            let home = root + "/home"
            _ = try MasterKeyLoader.create(home: home)
            #expect(try permissions(of: home) == 0o700)
            #expect(try permissions(of: home + "/master.key") == 0o600)
        }
    }

    @Test func createRefusesToOverwriteAnExistingKey() throws {
        try withTemporaryDirectory { home in
            let first = try MasterKeyLoader.create(home: home)
            let path = MasterKeyLoader.keyPath(home: home)
            #expect(throws: CryptoError.masterKeyExists(path: path)) {
                try MasterKeyLoader.create(home: home)
            }
            let ring = try MasterKeyLoader.load(home: home, environment: [:])
            #expect(ring.current == first)
        }
    }

    @Test func createRefusesADanglingSymlinkAtTheKeyPath() throws {
        try withTemporaryDirectory { home in
            let path = MasterKeyLoader.keyPath(home: home)
            try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: home + "/elsewhere")
            #expect(throws: CryptoError.masterKeyExists(path: path)) {
                try MasterKeyLoader.create(home: home)
            }
            #expect(!FileManager.default.fileExists(atPath: home + "/elsewhere"))
        }
    }

    @Test func loadReadsTheKeyThatCreateWrote() throws {
        try withTemporaryDirectory { home in
            let created = try MasterKeyLoader.create(home: home)
            let ring = try MasterKeyLoader.load(home: home, environment: ["HOME": "/nowhere"])
            #expect(ring.current == created)
            #expect(ring.current.id == created.id)
            #expect(ring.others.isEmpty)
        }
    }

    @Test("load refuses a key file that group or others may access", arguments: [0o644, 0o640, 0o604, 0o660, 0o601])
    func loadRefusesKeyFileOpenToOthers(mode: Int) throws {
        try withTemporaryDirectory { home in
            let path = MasterKeyLoader.keyPath(home: home)
            try writeFile(path, SecureRandom.bytes(32), mode: mode_t(mode))
            let error = try #require(throws: CryptoError.self) {
                try MasterKeyLoader.load(home: home, environment: [:])
            }
            let octal = "0" + String(mode, radix: 8)
            #expect(error.description
                == "master key \(path) is readable by group or others (mode \(octal)); run: chmod 600 \(path)")
            #expect(MasterKeyLoader.permissionProblem(path: path) == error.description)
        }
    }

    @Test func permissionProblemIsNilForAnOwnerOnlyFileOrNoFile() throws {
        try withTemporaryDirectory { home in
            let path = home + "/master.key"
            #expect(MasterKeyLoader.permissionProblem(path: path) == nil)
            try writeFile(path, SecureRandom.bytes(32), mode: 0o600)
            #expect(MasterKeyLoader.permissionProblem(path: path) == nil)
            try writeFile(path, SecureRandom.bytes(32), mode: 0o400)
            #expect(MasterKeyLoader.permissionProblem(path: path) == nil)
            _ = try MasterKeyLoader.load(home: home, environment: [:])
        }
    }

    @Test func aMissingKeyFileSaysToRunRotorInit() throws {
        try withTemporaryDirectory { home in
            let error = try #require(throws: CryptoError.self) {
                try MasterKeyLoader.load(home: home, environment: [:])
            }
            #expect(error == CryptoError.masterKeyMissing(path: home + "/master.key"))
            #expect(error.description.contains("rotor init"))
            #expect(error.description.contains("ROTOR_MASTER_KEY"))
        }
    }

    @Test func aKeyFileOfTheWrongSizeIsRefused() throws {
        try withTemporaryDirectory { home in
            let path = MasterKeyLoader.keyPath(home: home)
            // A base64 key pasted into the file is the likely mistake.
            try writeFile(path, utf8(Base64.encode(SecureRandom.bytes(32)) + "\n"), mode: 0o600)
            #expect(throws: CryptoError.masterKeyWrongLength(path: path, actual: 45)) {
                try MasterKeyLoader.load(home: home, environment: [:])
            }
        }
    }

    @Test func aDirectoryAtTheKeyPathIsRefused() throws {
        try withTemporaryDirectory { home in
            let path = MasterKeyLoader.keyPath(home: home)
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
            #expect(throws: CryptoError.masterKeyNotRegularFile(path: path)) {
                try MasterKeyLoader.load(home: home, environment: [:])
            }
            #expect(MasterKeyLoader.permissionProblem(path: path)
                == CryptoError.masterKeyNotRegularFile(path: path).description)
        }
    }

    @Test func environmentKeyWinsOverTheFile() throws {
        try withTemporaryDirectory { home in
            let fileKey = try MasterKeyLoader.create(home: home)
            let material = SecureRandom.bytes(32)
            let environment = ["ROTOR_MASTER_KEY": Base64.encode(material)]
            let ring = try MasterKeyLoader.load(home: home, environment: environment)
            #expect(ring.current == (try MasterKey(bytes: material)))
            #expect(ring.current != fileKey)
            #expect(ring.key(id: fileKey.id) == nil)
        }
    }

    @Test func environmentKeyNeedsNoFileAndIgnoresABadOne() throws {
        try withTemporaryDirectory { home in
            let material = SecureRandom.bytes(32)
            let environment = ["ROTOR_MASTER_KEY": Base64.encode(material) + "\n"]
            #expect(try MasterKeyLoader.load(home: home + "/missing", environment: environment).current
                == MasterKey(bytes: material))
            try writeFile(MasterKeyLoader.keyPath(home: home), SecureRandom.bytes(32), mode: 0o644)
            #expect(try MasterKeyLoader.load(home: home, environment: environment).current
                == MasterKey(bytes: material))
        }
    }

    @Test("a malformed ROTOR_MASTER_KEY is refused with a clear error, never echoing the value",
          arguments: [
              ("c2VjcmV0LXRoYXQtaXMtbm90LWJhc2U2NA", CryptoError.environmentKeyNotBase64),
              ("not base64 at all!", CryptoError.environmentKeyNotBase64),
              (Base64URL.encode([UInt8](repeating: 0xfb, count: 33)), CryptoError.environmentKeyNotBase64),
              (Base64.encode([UInt8](repeating: 7, count: 16)), CryptoError.environmentKeyWrongLength(actual: 16)),
              (Base64.encode([UInt8](repeating: 7, count: 33)), CryptoError.environmentKeyWrongLength(actual: 33)),
              ("", CryptoError.environmentKeyEmpty),
              ("  \n", CryptoError.environmentKeyEmpty),
          ])
    func malformedEnvironmentKeyIsRefused(value: String, expected: CryptoError) throws {
        try withTemporaryDirectory { home in
            _ = try MasterKeyLoader.create(home: home)
            let error = try #require(throws: CryptoError.self) {
                try MasterKeyLoader.load(home: home, environment: ["ROTOR_MASTER_KEY": value])
            }
            #expect(error == expected)
            #expect(error.description.contains("ROTOR_MASTER_KEY"))
            let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty {
                #expect(!error.description.contains(trimmed))
            }
        }
    }

    @Test func retiredKeysJoinTheRingSoOldValuesStillOpen() throws {
        try withTemporaryDirectory { home in
            let current = try MasterKeyLoader.create(home: home)
            let retiredDirectory = MasterKeyLoader.retiredDirectory(home: home)
            #expect(retiredDirectory == home + "/master.key.retired")
            try FileManager.default.createDirectory(atPath: retiredDirectory, withIntermediateDirectories: false)
            let oldMaterial = SecureRandom.bytes(32), olderMaterial = SecureRandom.bytes(32)
            try writeFile(retiredDirectory + "/2024-01.key", olderMaterial, mode: 0o600)
            try writeFile(retiredDirectory + "/2025-01.key", oldMaterial, mode: 0o400)
            try writeFile(retiredDirectory + "/README", utf8("not a key"), mode: 0o644)
            let old = try MasterKey(bytes: oldMaterial), older = try MasterKey(bytes: olderMaterial)

            let sealedBefore = try Sealer(keyring: MasterKeyring(current: old)).seal(utf8("v"), context: "s/v1")
            let ring = try MasterKeyLoader.load(home: home, environment: [:])
            #expect(ring.current == current)
            #expect(ring.ids == [current.id, older.id, old.id])
            #expect(try Sealer(keyring: ring).open(sealedBefore, context: "s/v1") == utf8("v"))

            // Same for a ring whose current key comes from the environment.
            let fromEnvironment = try MasterKeyLoader.load(
                home: home, environment: ["ROTOR_MASTER_KEY": Base64.encode(SecureRandom.bytes(32))])
            #expect(fromEnvironment.key(id: old.id) == old)
        }
    }

    @Test func aRetiredKeyOpenToOthersIsRefusedByName() throws {
        try withTemporaryDirectory { home in
            _ = try MasterKeyLoader.create(home: home)
            let directory = MasterKeyLoader.retiredDirectory(home: home)
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
            let path = directory + "/old.key"
            try writeFile(path, SecureRandom.bytes(32), mode: 0o644)
            #expect(throws: CryptoError.masterKeyPermissions(path: path, mode: 0o644)) {
                try MasterKeyLoader.load(home: home, environment: [:])
            }
        }
    }

    @Test func errorsNeverContainKeyMaterial() throws {
        try withTemporaryDirectory { home in
            let material = SecureRandom.bytes(32)
            let path = MasterKeyLoader.keyPath(home: home)
            try writeFile(path, material, mode: 0o644)
            let error = try #require(throws: CryptoError.self) {
                try MasterKeyLoader.load(home: home, environment: [:])
            }
            #expect(!error.description.contains(Hex.encode(material)))
            #expect(!error.description.contains(Base64.encode(material)))
        }
    }
}
