import RotorCrypto
import Testing

@Suite("Sealer")
struct SealerTests {
    let plaintext = utf8("sk-proj-0123456789abcdefx7K2")

    @Test func roundTripsUnderTheCurrentKey() throws {
        let key = MasterKey.random()
        let sealer = Sealer(keyring: MasterKeyring(current: key))
        let sealed = try sealer.seal(plaintext, context: "openai-api-key/v1")
        #expect(sealed.keyID == key.id)
        #expect(sealed.box.count == 12 + plaintext.count + 16)
        #expect(!sealed.box.contains(subsequence: plaintext))
        #expect(try sealer.open(sealed, context: "openai-api-key/v1") == plaintext)
        #expect(!sealer.needsReseal(sealed))
    }

    @Test func boxIsAnAESGCMBoxWithRotorV1AssociatedData() throws {
        // Pins the stored format: other tools (and future versions) must be able to open it.
        let material = SecureRandom.bytes(32)
        let sealer = Sealer(keyring: MasterKeyring(current: try MasterKey(bytes: material)))
        let sealed = try sealer.seal(plaintext, context: "stripe/v9")
        #expect(try AESGCM.open(sealed.box, key: material, associatedData: utf8("rotor:v1:stripe/v9")) == plaintext)
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(sealed.box, key: material, associatedData: utf8("stripe/v9"))
        }
    }

    @Test func aBoxMovedToAnotherContextFailsToOpen() throws {
        let sealer = Sealer(keyring: MasterKeyring(current: MasterKey.random()))
        let sealed = try sealer.seal(plaintext, context: "openai-api-key/v1")
        for context in ["openai-api-key/v2", "github-token/v1", "", "openai-api-key/v1 "] {
            #expect(throws: CryptoError.authenticationFailed) {
                try sealer.open(sealed, context: context)
            }
        }
    }

    @Test func aRingWithTheOldKeyOpensValuesSealedBeforeRotation() throws {
        let old = MasterKey.random(), new = MasterKey.random()
        let before = try Sealer(keyring: MasterKeyring(current: old)).seal(plaintext, context: "db/v3")
        let after = Sealer(keyring: MasterKeyring(current: new, others: [old]))
        #expect(try after.open(before, context: "db/v3") == plaintext)
        #expect(after.needsReseal(before))
        let resealed = try after.seal(try after.open(before, context: "db/v3"), context: "db/v3")
        #expect(resealed.keyID == new.id)
        #expect(!after.needsReseal(resealed))
    }

    @Test func anUnknownKeyIdIsNamedInTheError() throws {
        let old = MasterKey.random(), new = MasterKey.random()
        let sealed = try Sealer(keyring: MasterKeyring(current: old)).seal(plaintext, context: "db/v3")
        let sealer = Sealer(keyring: MasterKeyring(current: new))
        let error = try #require(throws: CryptoError.self) { try sealer.open(sealed, context: "db/v3") }
        #expect(error == CryptoError.unknownKeyID(old.id, keyring: [new.id]))
        #expect(error.description.contains(old.id))
        #expect(error.description.contains("master.key.retired"))
    }

    @Test func aTamperedStoredBoxFailsToOpen() throws {
        let sealer = Sealer(keyring: MasterKeyring(current: MasterKey.random()))
        let sealed = try sealer.seal(plaintext, context: "db/v3")
        var box = sealed.box
        box[box.count / 2] ^= 0x04
        #expect(throws: CryptoError.authenticationFailed) {
            try sealer.open(SealedValue(keyID: sealed.keyID, box: box), context: "db/v3")
        }
        #expect(throws: CryptoError.boxTooShort(minimum: 28, actual: 10)) {
            try sealer.open(SealedValue(keyID: sealed.keyID, box: Array(box.prefix(10))), context: "db/v3")
        }
    }

    @Test func sealedValueDescriptionShowsOnlyKeyIdAndSize() throws {
        let sealed = try Sealer(keyring: MasterKeyring(current: MasterKey.random())).seal(plaintext, context: "x/v1")
        #expect("\(sealed)" == "SealedValue(\(sealed.keyID), \(sealed.box.count) bytes)")
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence: [UInt8]) -> Bool {
        guard !subsequence.isEmpty, subsequence.count <= count else { return subsequence.isEmpty }
        return (0...(count - subsequence.count)).contains { Array(self[$0..<($0 + subsequence.count)]) == subsequence }
    }
}
