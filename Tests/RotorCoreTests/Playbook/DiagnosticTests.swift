import Foundation
import Testing
import RotorCore

@Suite("Diagnostics")
struct DiagnosticTests {
    @Test func printsFileLineColumnMessageAndHint() {
        let location = PlaybookLocation(file: "Playbooks/a.yml", line: 4, column: 1)
        #expect(Diagnostic(location: location, message: "unknown key 'gracee' in the playbook", hint: "did you mean 'grace'?")
            .description == "Playbooks/a.yml:4:1: error: unknown key 'gracee' in the playbook (did you mean 'grace'?)")
        #expect(Diagnostic(location: location, message: "the file is empty").description
            == "Playbooks/a.yml:4:1: error: the file is empty")
    }

    @Test func encodesAsTheFlatJSONShapeOfValidate() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let withHint = Diagnostic(location: PlaybookLocation(file: "a.yml", line: 2, column: 9), message: "m", hint: "h")
        let withoutHint = Diagnostic(location: PlaybookLocation(file: "a.yml", line: 1, column: 1), message: "m")
        let json = String(decoding: try encoder.encode([withHint, withoutHint]), as: UTF8.self)
        #expect(json == #"[{"column":9,"file":"a.yml","hint":"h","line":2,"message":"m"},{"column":1,"file":"a.yml","hint":null,"line":1,"message":"m"}]"#)
        #expect(try JSONDecoder().decode([Diagnostic].self, from: Data(json.utf8)) == [withHint, withoutHint])
    }

    @Test func configValueJSONEscapesAndKeepsOrder() {
        let value = ConfigValue.map([("z", .string("a\"b\\c\n\u{1}")), ("a", .list([.int(-1), .double(1.5), .bool(false), .null]))])
        #expect(value.jsonText == #"{"z":"a\"b\\c\n\u0001","a":[-1,1.5,false,null]}"#)
        #expect(value["a"]?.listValue?.count == 4)
        #expect(value["missing"] == nil)
    }
}
