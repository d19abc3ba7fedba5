import Foundation
@testable import ProviderHTTP
import RotorCore
import RotorHTTP
import Testing

@Suite("http source templates and JSON pointers")
struct HTTPSourceTemplateTests {
    private let placeholders = Placeholders(
        values: ["token": "tok-123", "secret": #"a "quoted" \ name"#, "idempotency_key": "rot:generate", "handle": "key/../admin"],
        unavailable: ["value": "{{value}} is only available in revoke"])

    @Test func bodyPlaceholdersAreFilledInsideStringsAndJSONEscaped() throws {
        let template = ConfigValue.map([
            ("name", .string("{{secret}}")),
            ("note", .string("for {{secret}} ({{idempotency_key}})")),
            ("{{secret}}", .int(1)),                    // keys are not templates
            ("tags", .list([.string("{{idempotency_key}}"), .bool(true)])),
        ])
        let rendered = try placeholders.renderJSON(template, in: "mint body")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(rendered.jsonText.utf8)) as? [String: Any])
        #expect(object.count == 4)
        #expect(object["name"] as? String == #"a "quoted" \ name"#)
        #expect(object["note"] as? String == #"for a "quoted" \ name (rot:generate)"#)
        #expect(object["{{secret}}"] as? Int == 1)
        #expect((object["tags"] as? [Any])?.first as? String == "rot:generate")
    }

    @Test func urlPlaceholdersArePercentEncodedSoAHandleStaysOneSegment() throws {
        let url = try placeholders.renderURL("https://vendor.example/keys/{{handle}}", in: "revoke url")
        #expect(url == "https://vendor.example/keys/key%2F..%2Fadmin")
    }

    @Test func insertedTextIsNeverScannedForPlaceholdersAgain() throws {
        let sneaky = Placeholders(values: ["secret": "{{token}}", "token": "tok-123"], unavailable: [:])
        #expect(try sneaky.render("name={{secret}}", in: "mint header X") == "name={{token}}")
    }

    @Test func unavailableAndUnknownPlaceholdersAreErrorsNamingThePlace() throws {
        let unavailable = #expect(throws: HTTPSourceError.self) { try placeholders.render("{{value}}", in: "mint header X") }
        #expect(unavailable?.description == "mint header X uses {{value}}, but {{value}} is only available in revoke")
        let unknown = #expect(throws: HTTPSourceError.self) { try placeholders.render("Bearer {{tokn}}", in: "mint header Authorization") }
        #expect(unknown?.description.contains("unknown placeholder {{tokn}}") == true)
        #expect(unknown?.description.contains("{{token}}") == true)
    }

    @Test func aRequestTemplateGetsAJSONContentTypeAndItsMethod() throws {
        let config = ConfigValue.map([("url", .string("https://vendor.example/keys/{{handle}}")),
                                      ("headers", .map([("Authorization", .string("Bearer {{token}}"))])),
                                      ("body", .map([("reason", .string("rotated"))]))])
        let request = try #require(RequestTemplate(config, defaultMethod: .DELETE)).request(placeholders, action: "revoke")
        #expect(request.method == .DELETE)
        #expect(request.headers["Authorization"] == "Bearer tok-123")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.body.map { String(decoding: $0, as: UTF8.self) } == #"{"reason":"rotated"}"#)
    }

    @Test func jsonPointersFollowRFC6901() throws {
        let document = try JSONSerialization.jsonObject(with: Data(#"""
            {"a/b": {"m~n": "slash-tilde"}, "list": [{"id": 7}, "second"], "": "empty-key", "01": "zero-one"}
            """#.utf8))
        #expect(try JSONPointer(parsing: "/a~1b/m~0n").resolve(in: document) as? String == "slash-tilde")
        #expect(try JSONPointer(parsing: "/list/0/id").resolve(in: document) as? Int == 7)
        #expect(try JSONPointer(parsing: "/list/1").resolve(in: document) as? String == "second")
        #expect(try JSONPointer(parsing: "/").resolve(in: document) as? String == "empty-key")
        #expect(try JSONPointer(parsing: "/01").resolve(in: document) as? String == "zero-one")
        #expect(try JSONPointer(parsing: "").resolve(in: document) is [String: Any])
        #expect(try JSONPointer(parsing: "/list/01").resolve(in: document) == nil)   // no leading zeros in indexes
        #expect(try JSONPointer(parsing: "/list/2").resolve(in: document) == nil)
        #expect(try JSONPointer(parsing: "/missing/x").resolve(in: document) == nil)
        #expect(throws: HTTPSourceError.self) { try JSONPointer(parsing: "a/b") }
        #expect(throws: HTTPSourceError.self) { try JSONPointer(parsing: "/a~2b") }
    }

    @Test func vendorErrorMessagesAreReadFromTheCommonShapes() {
        #expect(VendorMessage.extract(from: Array(#"{"error":{"code":"invalid_api_key","message":"Bad key."}}"#.utf8))
                == "invalid_api_key: Bad key.")
        #expect(VendorMessage.extract(from: Array(#"{"message":"Not Found"}"#.utf8)) == "Not Found")
        #expect(VendorMessage.extract(from: Array(#"{"error":"invalid_grant","error_description":"expired"}"#.utf8))
                == "invalid_grant: expired")
        #expect(VendorMessage.extract(from: Array("<html>oops</html>".utf8)) == nil)
    }
}
