import RotorHTTP
import Testing

@Suite struct HTTPRedactorTests {
    @Test func replacesEverySecretValueAlsoPercentEncoded() {
        let redactor = HTTPRedactor(secrets: ["s3cr3t/value+1", ""])
        #expect(redactor.redact("a s3cr3t/value+1 b") == "a <redacted> b")
        #expect(redactor.redact("q=s3cr3t%2Fvalue%2B1") == "q=<redacted>")
        #expect(redactor.redact("nothing here") == "nothing here")
    }

    @Test func redactsURLPasswordAndCredentialLikeQueryValues() {
        let redactor = HTTPRedactor()
        let url = redactor.redactURL("https://user:pa55@example.com/path?api_key=abc&page=2&access_token=xyz")
        #expect(!url.contains("pa55"))
        #expect(!url.contains("abc"))
        #expect(!url.contains("xyz"))
        #expect(url.contains("page=2"))
        #expect(url.contains("user:<redacted>@example.com"))
        #expect(url.contains("api_key=<redacted>"))
    }

    @Test func hidesCredentialHeadersWhole() {
        let redactor = HTTPRedactor(secrets: ["tok"])
        for name in ["Authorization", "proxy-authorization", "Cookie", "Set-Cookie", "X-Api-Key",
                     "X-Auth-Token", "Client-Secret", "X-Signing-Key"] {
            #expect(redactor.headerValue(name: name, value: "Bearer abc") == "<redacted>", "\(name)")
        }
        #expect(redactor.headerValue(name: "Accept", value: "text/plain") == "text/plain")
        #expect(redactor.headerValue(name: "X-Note", value: "has tok inside") == "has <redacted> inside")
        #expect(redactor.describe(["Authorization": "Bearer abc", "Accept": "*/*"])
            == "Authorization: <redacted>; Accept: */*")
    }
}
