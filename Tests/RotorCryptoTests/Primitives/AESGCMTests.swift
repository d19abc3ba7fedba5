import RotorCrypto
import Testing

/// An AES-256 known answer from the GCM specification (McGrew & Viega, "The Galois/Counter Mode
/// of Operation", appendix B), the vectors NIST SP 800-38D points to.
struct GCMVector: Sendable, CustomTestStringConvertible {
    let number: Int
    let key: [UInt8]
    let iv: [UInt8]
    let plaintext: [UInt8]
    let associatedData: [UInt8]
    let ciphertext: [UInt8]
    let tag: [UInt8]

    var testDescription: String { "GCM test case \(number)" }

    private static let zeroKey = bytes(String(repeating: "00", count: 32))
    private static let key = bytes("feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308")
    private static let plaintext64 = bytes("""
        d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
        1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255
        """)
    private static let plaintext60 = Array(plaintext64.prefix(60))
    private static let associatedData = bytes("feedfacedeadbeeffeedfacedeadbeef abaddad2")

    static let all: [GCMVector] = [
        GCMVector(number: 13, key: zeroKey, iv: bytes("000000000000000000000000"),
                  plaintext: [], associatedData: [],
                  ciphertext: [], tag: bytes("530f8afbc74536b9a963b4f1c4cb738b")),
        GCMVector(number: 14, key: zeroKey, iv: bytes("000000000000000000000000"),
                  plaintext: bytes("00000000000000000000000000000000"), associatedData: [],
                  ciphertext: bytes("cea7403d4d606b6e074ec5d3baf39d18"),
                  tag: bytes("d0d1c8a799996bf0265b98b5d48ab919")),
        GCMVector(number: 15, key: key, iv: bytes("cafebabefacedbaddecaf888"),
                  plaintext: plaintext64, associatedData: [],
                  ciphertext: bytes("""
                      522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                      8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad
                      """),
                  tag: bytes("b094dac5d93471bdec1a502270e3cc6c")),
        GCMVector(number: 16, key: key, iv: bytes("cafebabefacedbaddecaf888"),
                  plaintext: plaintext60, associatedData: associatedData,
                  ciphertext: bytes("""
                      522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                      8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662
                      """),
                  tag: bytes("76fc6ece0f4e1768cddf8853bb2d551b")),
        // 17 and 18 use a 64-bit and a 480-bit IV: the GHASH-derived counter path.
        GCMVector(number: 17, key: key, iv: bytes("cafebabefacedbad"),
                  plaintext: plaintext60, associatedData: associatedData,
                  ciphertext: bytes("""
                      c3762df1ca787d32ae47c13bf19844cb af1ae14d0b976afac52ff7d79bba9de0
                      feb582d33934a4f0954cc2363bc73f78 62ac430e64abe499f47c9b1f
                      """),
                  tag: bytes("3a337dbf46a792c45e454913fe2ea8f2")),
        GCMVector(number: 18, key: key,
                  iv: bytes("""
                      9313225df88406e555909c5aff5269aa 6a7a9538534f7da1e4c303d2a318a728
                      c3c0c95156809539fcf0e2429a6b5254 16aedbf5a0de6a57a637b39b
                      """),
                  plaintext: plaintext60, associatedData: associatedData,
                  ciphertext: bytes("""
                      5a8def2f0c9e53f1f75d7853659e2a20 eeb2b22aafde6419a058ab4f6f746bf4
                      0fc0c3b780f244452da3ebf1c5d82cde a2418997200ef82e44ae7e3f
                      """),
                  tag: bytes("a44a8266ee1c8eb0c8b5d4cf5ae9f19a")),
    ]
}

@Suite("AES-256-GCM")
struct AESGCMTests {
    @Test("encrypt reproduces the published ciphertext and tag", arguments: GCMVector.all)
    func encryptMatchesPublishedVector(_ vector: GCMVector) throws {
        let result = try AESGCM.encrypt(plaintext: vector.plaintext, key: vector.key, iv: vector.iv,
                                        associatedData: vector.associatedData)
        #expect(Hex.encode(result.ciphertext) == Hex.encode(vector.ciphertext))
        #expect(Hex.encode(result.tag) == Hex.encode(vector.tag))
    }

    @Test("decrypt recovers the published plaintext", arguments: GCMVector.all)
    func decryptMatchesPublishedVector(_ vector: GCMVector) throws {
        let plaintext = try AESGCM.decrypt(ciphertext: vector.ciphertext, key: vector.key, iv: vector.iv,
                                           associatedData: vector.associatedData, tag: vector.tag)
        #expect(Hex.encode(plaintext) == Hex.encode(vector.plaintext))
    }

    @Test("open accepts a published vector in box form and seal with its nonce rebuilds it",
          arguments: GCMVector.all.filter { $0.iv.count == 12 })
    func boxFormIsNonceCiphertextTag(_ vector: GCMVector) throws {
        let box = vector.iv + vector.ciphertext + vector.tag
        #expect(try AESGCM.open(box, key: vector.key, associatedData: vector.associatedData) == vector.plaintext)
        let sealed = try AESGCM.seal(vector.plaintext, key: vector.key, associatedData: vector.associatedData,
                                     nonce: vector.iv)
        #expect(sealed == box)
    }

    @Test func sealDrawsAFreshNonceEachTime() throws {
        let key = SecureRandom.bytes(32)
        let first = try AESGCM.seal(utf8("same"), key: key, associatedData: [])
        let second = try AESGCM.seal(utf8("same"), key: key, associatedData: [])
        #expect(first.count == 12 + 4 + 16)
        #expect(first.prefix(12) != second.prefix(12))
        #expect(try AESGCM.open(first, key: key, associatedData: []) == utf8("same"))
        #expect(try AESGCM.open(second, key: key, associatedData: []) == utf8("same"))
    }

    @Test func roundTripsLargeAndEmptyPlaintexts() throws {
        let key = SecureRandom.bytes(32)
        for plaintext in [[], SecureRandom.bytes(1), SecureRandom.bytes(1 << 20)] {
            let box = try AESGCM.seal(plaintext, key: key, associatedData: utf8("context"))
            #expect(try AESGCM.open(box, key: key, associatedData: utf8("context")) == plaintext)
        }
    }

    enum Part: String, CaseIterable, Sendable {
        case nonce, ciphertext, tag, associatedData
    }

    @Test("a flipped bit anywhere makes open throw authenticationFailed", arguments: Part.allCases)
    func flippedBitFailsToOpen(_ part: Part) throws {
        let key = SecureRandom.bytes(32)
        let associatedData = utf8("rotor:v1:openai-api-key/v3")
        let plaintext = utf8("sk-live-0123456789")
        let box = try AESGCM.seal(plaintext, key: key, associatedData: associatedData)
        let ciphertextStart = 12, tagStart = box.count - 16
        // Flip each bit position in turn across the part, not just one lucky bit.
        for bit in 0..<8 {
            var tampered = box
            var tamperedData = associatedData
            switch part {
            case .nonce: tampered[bit % 12] ^= 1 << UInt8(bit)
            case .ciphertext: tampered[ciphertextStart + bit % (tagStart - ciphertextStart)] ^= 1 << UInt8(bit)
            case .tag: tampered[tagStart + bit] ^= 1 << UInt8(bit)
            case .associatedData: tamperedData[bit % tamperedData.count] ^= 1 << UInt8(bit)
            }
            #expect(throws: CryptoError.authenticationFailed) {
                try AESGCM.open(tampered, key: key, associatedData: tamperedData)
            }
        }
        // The untouched box still opens, so the failures above are down to the flipped bit.
        #expect(try AESGCM.open(box, key: key, associatedData: associatedData) == plaintext)
    }

    @Test func wrongKeyFailsToOpen() throws {
        let box = try AESGCM.seal(utf8("secret"), key: SecureRandom.bytes(32), associatedData: [])
        #expect(throws: CryptoError.authenticationFailed) {
            try AESGCM.open(box, key: SecureRandom.bytes(32), associatedData: [])
        }
    }

    @Test func truncatedBoxThrowsInsteadOfCrashing() throws {
        let key = SecureRandom.bytes(32)
        let box = try AESGCM.seal(utf8("secret"), key: key, associatedData: [])
        for length in 0..<28 {
            #expect(throws: CryptoError.boxTooShort(minimum: 28, actual: length)) {
                try AESGCM.open(Array(box.prefix(length)), key: key, associatedData: [])
            }
        }
        // Long enough to parse, but the tag no longer lines up.
        for length in 28..<box.count {
            #expect(throws: CryptoError.authenticationFailed) {
                try AESGCM.open(Array(box.prefix(length)), key: key, associatedData: [])
            }
        }
    }

    @Test func rejectsKeysThatAreNotAES256() {
        for length in [0, 16, 24, 31, 33] {
            #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: length)) {
                try AESGCM.seal([1, 2, 3], key: [UInt8](repeating: 7, count: length), associatedData: [])
            }
            #expect(throws: CryptoError.invalidKeyLength(expected: 32, actual: length)) {
                try AESGCM.open([UInt8](repeating: 0, count: 40), key: [UInt8](repeating: 7, count: length),
                                associatedData: [])
            }
        }
    }

    @Test func rejectsBadNonceIVAndTagLengths() {
        let key = [UInt8](repeating: 1, count: 32)
        #expect(throws: CryptoError.invalidNonceLength(expected: 12, actual: 8)) {
            try AESGCM.seal([], key: key, associatedData: [], nonce: [UInt8](repeating: 0, count: 8))
        }
        #expect(throws: CryptoError.emptyIV) {
            try AESGCM.encrypt(plaintext: [], key: key, iv: [], associatedData: [])
        }
        #expect(throws: CryptoError.invalidTagLength(expected: 16, actual: 12)) {
            try AESGCM.decrypt(ciphertext: [], key: key, iv: [UInt8](repeating: 0, count: 12),
                               associatedData: [], tag: [UInt8](repeating: 0, count: 12))
        }
    }

    @Test func errorsNameTheProblemWithoutKeyMaterial() {
        let message = CryptoError.authenticationFailed.description
        #expect(message.contains("authentication failed"))
        #expect(CryptoError.invalidKeyLength(expected: 32, actual: 16).description.contains("16 bytes"))
    }
}
