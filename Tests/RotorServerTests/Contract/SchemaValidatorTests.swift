import RotorCore
import Testing

/// The validator the contract tests rely on finds what it claims to find.
@Suite("OpenAPI contract: schema validator")
struct SchemaValidatorTests {
    static let document = try! JSONValue.parse(Array("""
    {"components": {"schemas": {
      "Answer": {"type": "object", "additionalProperties": false, "required": ["id", "at"], "properties": {
        "id": {"type": "string", "minLength": 1},
        "at": {"type": "string", "format": "date-time"},
        "state": {"type": "string", "enum": ["grace", "completed"]},
        "count": {"type": "integer", "minimum": 0},
        "tags": {"type": "array", "items": {"type": "string"}},
        "nested": {"$ref": "#/components/schemas/Nested"}}},
      "Nested": {"type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}},
      "Odd": {"type": "string", "pattern": "^a$"}
    }}}
    """.utf8))

    func problems(_ json: String, _ schema: String = "Answer") throws -> [String] {
        SchemaValidator(root: Self.document).problems(try JSONValue.parse(Array(json.utf8)),
                                                      .object(["$ref": .string("#/components/schemas/\(schema)")]))
    }

    @Test func aConformingValuePasses() throws {
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","state":"grace","count":2,"tags":["x"],"nested":{"ok":true}}"#) == [])
    }

    @Test func eachBreachIsNamedWithItsPointer() throws {
        #expect(try problems(#"{"id":"a"}"#) == [": required at is missing"])
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","graceEndsAt":"x"}"#) == [": graceEndsAt is not a documented property"])
        #expect(try problems(#"{"id":"","at":"2026-11-23T13:20:00Z"}"#) == ["/id: shorter than 1"])
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","state":"done"}"#).count == 1)
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","count":-1}"#) == ["/count: -1 is below 0"])
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","count":1.5}"#).count == 1)
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","count":true}"#).count == 1)
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","tags":[1]}"#).first?.hasPrefix("/tags/0:") == true)
        #expect(try problems(#"{"id":"a","at":"2026-11-23T13:20:00Z","nested":{}}"#) == ["/nested: required ok is missing"])
        #expect(try problems(#"[]"#).count == 1)
    }

    @Test func timesMustBeUTCWithWholeSeconds() throws {
        for time in ["2026-11-23T13:20:00.123Z", "2026-11-23T14:20:00+01:00", "2026-11-23 13:20:00Z", "1780000000"] {
            #expect(try problems(#"{"id":"a","at":"\#(time)"}"#).count == 1, "\(time)")
        }
    }

    @Test func aKeywordOutsideTheSubsetIsAProblemNotAPass() throws {
        #expect(try problems(#""a""#, "Odd") == [": schema keyword pattern is outside the validated subset"])
    }

    @Test func keysThatAreNotSnakeCaseAreFoundAtAnyDepth() throws {
        let value = try JSONValue.parse(Array(#"{"rotation_id":"r","old_version":{"lastFour":"abcd"},"items":[{"Key":1}]}"#.utf8))
        #expect(SchemaValidator.namingProblems(value) == ["/items/0/Key is not snake_case", "/old_version/lastFour is not snake_case"])
    }
}
