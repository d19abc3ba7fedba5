import RotorCrypto
import Testing

@Suite("Base64 and Base64URL")
struct Base64Tests {
    // RFC 4648 §10.
    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test("Base64 matches RFC 4648 §10 both ways", arguments: rfc4648)
    func base64MatchesRFC4648(plain: String, encoded: String) {
        #expect(Base64.encode(utf8(plain)) == encoded)
        #expect(Base64.decode(encoded) == utf8(plain))
    }

    @Test("Base64URL matches RFC 4648 §10 without padding", arguments: rfc4648)
    func base64URLMatchesRFC4648(plain: String, encoded: String) {
        let unpadded = encoded.replacingOccurrences(of: "=", with: "")
        #expect(Base64URL.encode(utf8(plain)) == unpadded)
        #expect(Base64URL.decode(unpadded) == utf8(plain))
    }

    @Test func alphabetsDifferOnlyInTheLastTwoCharacters() {
        let input: [UInt8] = [0xfb, 0xff, 0xbf]
        #expect(Base64.encode(input) == "+/+/")
        #expect(Base64URL.encode(input) == "-_-_")
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(Base64.decode("-_-_") == nil)
        #expect(Base64URL.decode("+/+/") == nil)
    }

    @Test func roundTripsEveryLengthOfRandomBytes() {
        for length in 0...70 {
            let input = SecureRandom.bytes(length)
            #expect(Base64.decode(Base64.encode(input)) == input)
            #expect(Base64URL.decode(Base64URL.encode(input)) == input)
        }
    }

    @Test("Base64.decode rejects malformed input", arguments: [
        // "Zh==" and "Zm9=" carry non-zero bits past the last byte: "Zg==" and "Zm8=" are the only forms.
        "Zg", "Zg=", "Zm9", "Z===", "=Zg=", "Zg==Zg==", "Zm9v\n", " Zm9v", "Zm9v!", "Zh==", "Zm9=",
    ])
    func base64RejectsMalformed(_ input: String) {
        #expect(Base64.decode(input) == nil)
    }

    @Test("Base64URL.decode rejects malformed input", arguments: [
        // "Zh" and "Zm9" carry non-zero bits past the last byte: "Zg" and "Zm8" are the only forms.
        "Zg==", "Z", "Zm9vY", "Zm9v=", "Zh", "Zm9", "Zm+v", "Zm/v", "Zm9v\n",
    ])
    func base64URLRejectsMalformed(_ input: String) {
        #expect(Base64URL.decode(input) == nil)
    }
}
