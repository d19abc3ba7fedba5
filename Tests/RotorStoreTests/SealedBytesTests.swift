import Foundation
import RotorCore
@testable import RotorStore
import Testing

@Suite("Sealed bytes at rest")
struct SealedBytesTests {
    /// A stand-in for sealing (RotorCrypto seals above the store): any reversible transform that hides the plain bytes.
    static func fakeSeal(_ plain: [UInt8]) -> [UInt8] {
        [0x01, 0x4D, 0x4B] + plain.enumerated().map { $0.element ^ UInt8(truncatingIfNeeded: 0xA5 &+ $0.offset &* 31) }
    }

    static let allByteValues: [UInt8] = Array(0...255) + [0, 0, 0, 255, 255]

    @Test(arguments: TestBackend.all)
    func sealedValuesAndKeysReadBackByteForByte(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, _ in
            let big = (0..<65_536).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 8) }
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertVersion(Fixtures.version("v-all", label: .previous, sealed: Self.allByteValues, at: t(0)))
                try tx.insertVersion(Fixtures.version("v-big", label: .current, sealed: big, at: t(1)))
                try tx.insertVersion(Fixtures.version("v-empty", label: .failed, sealed: [], at: t(2)))
                try tx.insertPickup(KeyPickupRecord(
                    id: "p1", newKeyID: "k2", oldKeyID: "k1", sealedKey: Self.allByteValues, masterKeyID: "mk-1",
                    createdAt: t(0), expiresAt: t(day)))
            }
            let read = try await store.transaction { tx in
                (try tx.version(id: "v-all")?.sealedValue, try tx.version(id: "v-big")?.sealedValue,
                 try tx.version(id: "v-empty")?.sealedValue, try tx.pickup(oldKeyID: "k1")?.sealedKey)
            }
            #expect(read.0 == Self.allByteValues)
            #expect(read.1 == big)
            #expect(read.2 == [])
            #expect(read.3 == Self.allByteValues)
        }
    }

    /// The store keeps only what it is given: a plain value that was sealed before it reached the store never
    /// appears in the SQLite files, while the sealed bytes do (proof that the scan would have found it).
    @Test func thePlainValueNeverReachesTheSQLiteFiles() async throws {
        try await withStore(.sqlite) { store, database in
            let path = try #require(database.sqlitePath)
            let plainValue = Array("sk-CANARY-\(UUID().uuidString)-plain".utf8)
            let plainKey = Array("rk_live_CANARY-\(UUID().uuidString)".utf8)
            let sealedValue = Self.fakeSeal(plainValue)
            let sealedKey = Self.fakeSeal(plainKey)
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertVersion(Fixtures.version("v1", label: .current, sealed: sealedValue))
                try tx.insertPickup(KeyPickupRecord(
                    id: "p1", newKeyID: "k2", oldKeyID: "k1", sealedKey: sealedKey, masterKeyID: "mk-1",
                    createdAt: t(0), expiresAt: t(day)))
            }

            // While open, the new pages are in the -wal file.
            let whileOpen = try Self.fileBytes(path: path)
            #expect(whileOpen.contains(sealedValue), "the scan must find the sealed bytes, or it proves nothing")
            #expect(whileOpen.contains(sealedKey))
            #expect(!whileOpen.contains(plainValue))
            #expect(!whileOpen.contains(plainKey))

            // After close the WAL is checkpointed into the main file.
            await store.close()
            let afterClose = try Self.fileBytes(path: path)
            #expect(afterClose.contains(sealedValue))
            #expect(!afterClose.contains(plainValue))
            #expect(!afterClose.contains(plainKey))

            // Reopen (withStore closes its own store again, harmlessly) and check the bytes survived.
            let reopened = try await database.open()
            #expect(try await reopened.transaction { try $0.version(id: "v1")?.sealedValue } == sealedValue)
            await reopened.close()
        }
    }

    @Test func theSQLiteFilesAreReadableByTheirOwnerOnly() async throws {
        try await withStore(.sqlite) { store, database in
            let path = try #require(database.sqlitePath)
            try await store.transaction { try $0.upsertSecret(Fixtures.secret()) }
            for file in [path, path + "-wal"] {
                let attributes = try FileManager.default.attributesOfItem(atPath: file)
                let mode = try #require(attributes[.posixPermissions] as? NSNumber).intValue
                #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
            }
        }
    }

    /// The main file and its -wal file, concatenated (a value may be in either).
    static func fileBytes(path: String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        for file in [path, path + "-wal"] where FileManager.default.fileExists(atPath: file) {
            bytes += try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        }
        return bytes
    }
}

extension Array where Element == UInt8 {
    func contains(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        let first = needle[0]
        var index = 0
        while index <= count - needle.count {
            if self[index] == first && self[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}
