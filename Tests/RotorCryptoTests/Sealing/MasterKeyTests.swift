import RotorCrypto
import Testing

@Suite("MasterKey and MasterKeyring")
struct MasterKeyTests {
    @Test func idIsPrefixOfHashOfLabelAndKey() throws {
        let material = [UInt8](repeating: 0x42, count: 32)
        let key = try MasterKey(bytes: material)
        let expected = "mk_" + SHA256.hex(utf8("rotor-master-key-id:") + material).prefix(12)
        #expect(key.id == expected)
        #expect(key.id.count == 15)
        #expect(try MasterKey(bytes: material).id == key.id)
        #expect(MasterKey.random().id != key.id)
    }

    @Test func rejectsKeysThatAreNot32Bytes() {
        for length in [0, 16, 31, 33, 64] {
            #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: length)) {
                try MasterKey(bytes: [UInt8](repeating: 1, count: length))
            }
        }
    }

    @Test func textualFormsNeverShowKeyBytes() throws {
        let material = SecureRandom.bytes(32)
        let key = try MasterKey(bytes: material)
        var dumped = ""
        dump(key, to: &dumped)
        let renderings = [String(describing: key), String(reflecting: key), "\(key)", dumped]
        for rendering in renderings {
            #expect(rendering.contains(key.id))
            #expect(!rendering.contains(Hex.encode(material)))
            #expect(!rendering.contains(Base64.encode(material)))
            // Not as a decimal array either (the default Mirror of a [UInt8] field).
            #expect(!rendering.contains(material.prefix(4).map(String.init).joined(separator: ", ")))
        }
    }

    @Test func equalityFollowsKeyMaterial() throws {
        let material = SecureRandom.bytes(32)
        #expect(try MasterKey(bytes: material) == MasterKey(bytes: material))
        #expect(try MasterKey(bytes: material) != MasterKey.random())
    }

    @Test func keyringFindsCurrentAndRetiredKeysById() {
        let current = MasterKey.random(), old = MasterKey.random(), older = MasterKey.random()
        let ring = MasterKeyring(current: current, others: [old, older, old, current])
        #expect(ring.key(id: current.id) == current)
        #expect(ring.key(id: old.id) == old)
        #expect(ring.key(id: older.id) == older)
        #expect(ring.key(id: "mk_000000000000") == nil)
        #expect(ring.ids == [current.id, old.id, older.id])
    }
}
