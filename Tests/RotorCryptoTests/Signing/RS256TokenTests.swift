import RotorCrypto
import Testing

/// RS256 through OpenSSL's EVP API: the signature of a known key and message is the one the openssl command line
/// makes; keys round-trip through PEM; a bad, encrypted or non-RSA PEM is refused without quoting it; a token
/// is split only when it has three base64url parts and verifies only under its own key.
@Suite("RS256 signing")
struct RS256TokenTests {
    @Test func aKnownKeySignsAsTheOpenSSLCommandLineDoes() throws {
        for pem in [TestRSAKey.pkcs1, TestRSAKey.pkcs8, "\r\n  " + TestRSAKey.pkcs1.replacingOccurrences(of: "\n", with: "\r\n") + "\n\n"] {
            let key = try RSAPrivateKey(pem: pem)
            #expect(Base64URL.encode(try key.sign(Array(TestRSAKey.message.utf8))) == TestRSAKey.signature)
        }
    }

    @Test func aGeneratedKeyRoundTripsThroughPEMAndItsPublicKeyVerifies() throws {
        let key = try RSAPrivateKey.generate()
        let pem = try key.pem
        #expect(pem.hasPrefix("-----BEGIN RSA PRIVATE KEY-----"))
        let again = try RSAPrivateKey(pem: pem)
        let token = try RS256Token.sign(claims: #"{"iss":"42"}"#, with: again)
        let parsed = try #require(RS256Token(compact: token))
        #expect(String(decoding: parsed.header, as: UTF8.self) == RS256Token.header)
        #expect(String(decoding: parsed.claims, as: UTF8.self) == #"{"iss":"42"}"#)
        let publicKey = try RSAPublicKey(pem: try key.publicKeyPEM)
        #expect(parsed.isSigned(by: publicKey))
        #expect(!parsed.isSigned(by: try RSAPublicKey(pem: try RSAPrivateKey(pem: TestRSAKey.pkcs1).publicKeyPEM)))
        var tampered = Array(token.utf8)
        tampered[tampered.count / 2] = tampered[tampered.count / 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        if let forged = RS256Token(compact: String(decoding: tampered, as: UTF8.self)) { #expect(!forged.isSigned(by: publicKey)) }
    }

    @Test func aBadPEMIsRefusedClearlyWithoutQuotingIt() {
        let truncated = String(TestRSAKey.pkcs1.prefix(400)) + "\n-----END RSA PRIVATE KEY-----"
        for text in ["", "not a key", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----", truncated,
                     String(repeating: "A", count: 100_000), "\u{0}\u{1}\u{2}", TestRSAKey.encrypted] {
            #expect {
                _ = try RSAPrivateKey(pem: text)
            } throws: { error in
                let message = "\(error)"
                return message.contains("not a PEM private key") && !message.contains("MII") && !message.contains("AAAA")
            }
        }
    }

    @Test func aKeyThatIsNotRSAIsRefused() {
        #expect(throws: SigningKeyError.self) { _ = try RSAPrivateKey(pem: TestRSAKey.ec) }
        #expect(throws: SigningKeyError.self) { _ = try RSAPublicKey(pem: TestRSAKey.pkcs1) }
        #expect(throws: SigningKeyError.self) { _ = try RSAPublicKey(pem: "garbage") }
    }

    @Test func aMalformedTokenIsNotSplit() {
        for token in ["", ".", "..", "a.b", "a.b.c.d", "e30.e30.c2ln=", "e30.e30.+/", "e30..c2ln", "e30.e30.c2ln.",
                      String(repeating: "a", count: 20_000) + ".e30.c2ln"] {
            #expect(RS256Token(compact: token) == nil, "\(token.prefix(40))")
        }
        #expect(RS256Token(compact: "e30.e30.c2ln") != nil)
    }
}
