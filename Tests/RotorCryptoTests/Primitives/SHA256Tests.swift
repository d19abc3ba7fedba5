import RotorCrypto
import Testing

@Suite("SHA-256")
struct SHA256Tests {
    // FIPS 180-2 appendix B examples.
    @Test("hash reproduces the FIPS 180-2 digests", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func matchesFIPS180(message: String, digest: String) {
        #expect(SHA256.hex(utf8(message)) == digest)
        #expect(SHA256.hash(utf8(message)) == bytes(digest))
    }

    @Test func millionAsMatchesFIPS180() {
        let message = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(message) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func acceptsAnyByteCollection() {
        let expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        #expect(SHA256.hex("abc".utf8) == expected)
        #expect(SHA256.hex(utf8("xabcx")[1..<4]) == expected)
        // A lazy map has no contiguous storage: exercises the copying path.
        #expect(SHA256.hex("abc".utf8.lazy.map { $0 }) == expected)
    }

    @Test func hexIsLowercase() {
        let hex = SHA256.hex(utf8("Rotor"))
        #expect(hex.count == 64)
        #expect(hex.allSatisfy { "0123456789abcdef".contains($0) })
    }
}
