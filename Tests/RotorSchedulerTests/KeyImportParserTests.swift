import Foundation
import RotorCore
import RotorKeyTable
import Testing

/// The import's reader on broken, hostile and huge input: every bad line reported as FILE:LINE, never quoting the
/// input, and nothing returned unless every line is good.
@Suite("Key import parser")
struct KeyImportParserTests {
    func parse(_ text: String, _ format: KeyImportFormat = .csv) throws(KeyImportError) -> [KeyImportEntry] {
        try KeyImportParser(file: "keys.\(format.rawValue)", format: format).parse(Array(text.utf8))
    }

    func problems(_ bytes: [UInt8], _ format: KeyImportFormat = .csv) -> KeyImportError? {
        do {
            _ = try KeyImportParser(file: "keys.\(format.rawValue)", format: format).parse(bytes)
            return nil
        } catch {
            return error
        }
    }

    func problems(_ text: String, _ format: KeyImportFormat = .csv) -> KeyImportError? { problems(Array(text.utf8), format) }

    @Test func csvWithQuotedFieldsCRLFAndAByteOrderMarkIsRead() throws {
        let key = APIKeyFormat.generate()
        let text = "\u{FEFF}org,name,scopes,key\r\nacme,\"ci, nightly \"\"blue\"\"\",read write;admin,\r\n\r\nbeta,,\"a,b\",\(key)\r\n"
        let entries = try parse(text)
        #expect(entries.count == 2)
        #expect(entries[0].line == 2 && entries[0].org == "acme" && entries[0].name == "ci, nightly \"blue\"")
        #expect(entries[0].scopes == ["read", "write", "admin"] && entries[0].adoptedKey == nil)
        #expect(entries[1].line == 4 && entries[1].name == "default" && entries[1].scopes == ["a", "b"])
        #expect(entries[1].adoptedKey?.revealed == key)
    }

    @Test func jsonLinesTakeListsOrStringsOfScopesAndNullToMint() throws {
        let key = APIKeyFormat.generate()
        let text = """
            {"org": "acme", "name": "ci", "scopes": ["read"], "key": null}
            {"org": "beta", "scopes": "read write", "key": "\(key)"}
            {"org": "gamma", "key": "none"}
            """
        let entries = try parse(text, .jsonLines)
        #expect(entries.map(\.org) == ["acme", "beta", "gamma"])
        #expect(entries[1].scopes == ["read", "write"] && entries[1].adoptedKey?.revealed == key)
        #expect(entries[0].adoptedKey == nil && entries[2].adoptedKey == nil)
    }

    @Test func theFormatIsTakenFromTheNameOrTheFirstCharacter() {
        #expect(KeyImportFormat.detect(fileName: "k.CSV", firstBytes: Array("{".utf8)) == .csv)
        #expect(KeyImportFormat.detect(fileName: "k.ndjson", firstBytes: Array("org".utf8)) == .jsonLines)
        #expect(KeyImportFormat.detect(fileName: "-", firstBytes: Array("\n  {\"org\"".utf8)) == .jsonLines)
        #expect(KeyImportFormat.detect(fileName: "-", firstBytes: Array("org,name".utf8)) == .csv)
    }

    @Test func aHugeLineIsRefusedByItsLengthAndTheOtherLinesAreStillChecked() throws {
        let huge = "acme,big," + String(repeating: "s", count: 1_000_000) + ",\n"
        let error = try #require(problems("org,name,scopes,key\n" + huge + "bad org,x,,\n"))
        #expect(error.problems.map(\.line) == [2, 3])
        #expect(error.problems[0].message.contains("at most 65536"))
        #expect(error.description.count < 1_000, "the report does not carry the line")
    }

    @Test func badUTF8AndControlCharactersAreRefused() throws {
        var bytes = Array("org,name,scopes,key\nacme,".utf8) + [0xC3, 0x28] + Array(",,\n".utf8)
        bytes += Array("acme,\"bell\u{07}\",,\n".utf8)
        bytes += Array("{\"org\": \"acme\", \"name\": \"esc\\u001b[2J\"}\n".utf8)
        let csv = try #require(problems(bytes))
        #expect(csv.problems.map(\.line) == [2, 3, 4])
        #expect(csv.problems[0].message.contains("not valid UTF-8"))
        #expect(csv.problems[1].message.contains("control characters"))
        let json = try #require(problems("{\"org\": \"acme\", \"name\": \"esc\\u001b[2J\"}\n", .jsonLines))
        #expect(json.problems.first?.message.contains("control characters") == true)
    }

    @Test func valuesThatLookLikeSpreadsheetFormulasAreDataNotCode() throws {
        let entries = try parse("org,name,scopes,key\nacme,\"=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",read,\nacme,+1-2,,\n")
        #expect(entries.map(\.name) == ["=HYPERLINK(\"http://evil\",\"x\")", "+1-2"])
        let error = try #require(problems("org,name,scopes,key\n=1+1,n,,\n@acme,n,,\nacme,n,=cmd|calc,\n-acme,n,,\n"))
        #expect(error.problems.map(\.line) == [2, 3, 4, 5])
    }

    @Test func aDuplicatedKeyNamesTheLineThatHadItFirst() throws {
        let key = APIKeyFormat.generate()
        let error = try #require(problems("org,key\nacme,\(key)\nbeta,\nacme,\(key)\n"))
        #expect(error.problems == [.init(line: 4, message: "the same key as line 2; a key can be imported once")])
    }

    @Test func noReportQuotesAKeyEvenInTheWrongColumn() throws {
        let canary = APIKeyFormat.generate()
        var mistyped = Array(canary)
        mistyped[10] = mistyped[10] == "a" ? "b" : "a"
        let text = "org,name,scopes,key\n\(canary),n,,\nacme,n,\(canary),\nacme,n,,\(String(mistyped))\nacme,n,,\(canary.dropLast())\n"
        let error = try #require(problems(text))
        #expect(error.problems.map(\.line) == [2, 3, 4, 5])
        #expect(error.problems[2].message.contains("checksum"))
        #expect(!error.description.contains(canary) && !error.description.contains(String(mistyped))
                && !error.description.contains(String(canary.dropLast())))
        let json = try #require(problems("{\"org\": \"acme\", \"\(canary)\": 1}\n", .jsonLines))
        #expect(!json.description.contains(canary))
    }

    @Test func brokenStructureIsReportedPerLine() throws {
        let csv = try #require(problems("org,name,scopes,key\nacme,\"open,,\nacme,\"x\"y,,\nacme,n\n"))
        #expect(csv.problems.map(\.line) == [2, 3, 4])
        #expect(csv.problems[2].message == "2 field(s), but the header names 4")
        #expect(try #require(problems("name,scopes\nx,y\n")).problems.first?.line == 1, "no org column")
        #expect(try #require(problems("org,colour\n")).problems.first?.message.contains("column 2") == true)
        let json = try #require(problems("[1, 2]\n{\"org\": 5}\n{\"org\": \"a\", \"scopes\": [1]}\n{\"org\": \"a\", \"keys\": null}\n{}\n",
                                         .jsonLines))
        #expect(json.problems.map(\.line) == [1, 2, 3, 4, 5])
        #expect(json.problems[3].message.hasPrefix("unknown field \"keys\""))
        #expect(json.problems[4].message == "org is missing")
    }

    @Test func tooManyScopesOrALongScopeAreRefused() throws {
        let many = (0..<65).map { "s\($0)" }.joined(separator: " ")
        let long = String(repeating: "a", count: 129)
        let error = try #require(problems("org,scopes\nacme,\(many)\nacme,\(long)\n"))
        #expect(error.problems.map(\.message) == ["65 scopes; at most 64 are allowed",
                                                  "scope 1 is not a plain identifier (1–128 letters, digits, '.', '_', ':' or '-')"])
    }

    @Test func manyBadLinesAreCountedBeyondTheFirstFifty() throws {
        let text = "org\n" + String(repeating: "bad org\n", count: 10_000)
        let error = try #require(problems(text))
        #expect(error.total == 10_000 && error.problems.count == 50)
        #expect(error.description.contains("… and 9950 more problem(s)"))
    }
}
