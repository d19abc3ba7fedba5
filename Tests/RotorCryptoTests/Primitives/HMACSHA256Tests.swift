import RotorCrypto
import Testing

/// A test case from RFC 4231 ("Identifiers and Test Vectors for HMAC-SHA-224, HMAC-SHA-256, ...").
struct HMACVector: Sendable, CustomTestStringConvertible {
    let number: Int
    let key: [UInt8]
    let message: [UInt8]
    /// Expected MAC; for case 5 only the first 128 bits, as the RFC gives it.
    let mac: [UInt8]

    var testDescription: String { "RFC 4231 test case \(number)" }

    static let all: [HMACVector] = [
        HMACVector(number: 1, key: [UInt8](repeating: 0x0b, count: 20), message: utf8("Hi There"),
                   mac: bytes("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")),
        HMACVector(number: 2, key: utf8("Jefe"), message: utf8("what do ya want for nothing?"),
                   mac: bytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")),
        HMACVector(number: 3, key: [UInt8](repeating: 0xaa, count: 20),
                   message: [UInt8](repeating: 0xdd, count: 50),
                   mac: bytes("773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")),
        HMACVector(number: 4, key: Array(1...25), message: [UInt8](repeating: 0xcd, count: 50),
                   mac: bytes("82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b")),
        HMACVector(number: 5, key: [UInt8](repeating: 0x0c, count: 20), message: utf8("Test With Truncation"),
                   mac: bytes("a3b6167473100ee06e0c796c2955552b")),
        HMACVector(number: 6, key: [UInt8](repeating: 0xaa, count: 131),
                   message: utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
                   mac: bytes("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")),
        HMACVector(number: 7, key: [UInt8](repeating: 0xaa, count: 131),
                   message: utf8("This is a test using a larger than block-size key and a larger than block-size data. "
                                 + "The key needs to be hashed before being used by the HMAC algorithm."),
                   mac: bytes("9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2")),
    ]
}

@Suite("HMAC-SHA256")
struct HMACSHA256Tests {
    @Test("authenticate reproduces the RFC 4231 MAC", arguments: HMACVector.all)
    func matchesRFC4231(_ vector: HMACVector) {
        let mac = HMACSHA256.authenticate(key: vector.key, message: vector.message)
        #expect(mac.count == 32)
        #expect(Hex.encode(mac.prefix(vector.mac.count)) == Hex.encode(vector.mac))
    }

    @Test func emptyKeyAndMessageGiveTheKnownMAC() {
        // HMAC-SHA256 with an empty key over an empty message, as computed by any implementation
        // (`openssl dgst -sha256 -hmac ''` on empty input).
        let expected = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"
        #expect(Hex.encode(HMACSHA256.authenticate(key: [], message: [])) == expected)
    }

    @Test func verifyAcceptsTheRightMACAndRejectsAnyOther() {
        let key = utf8("pepper"), message = utf8("rk_live_abc")
        var mac = HMACSHA256.authenticate(key: key, message: message)
        #expect(HMACSHA256.verify(mac, key: key, message: message))
        #expect(!HMACSHA256.verify(Array(mac.prefix(16)), key: key, message: message))
        mac[31] ^= 0x80
        #expect(!HMACSHA256.verify(mac, key: key, message: message))
        #expect(!HMACSHA256.verify(HMACSHA256.authenticate(key: utf8("other"), message: message),
                                   key: key, message: message))
    }
}

