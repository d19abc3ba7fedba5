import Foundation
import Testing
@testable import RotorCore

@Suite("Audit export and control characters")
struct AuditExportTests {
    static func event(reason: String) -> AuditEvent {
        AuditEvent(at: Date(timeIntervalSince1970: 1_767_225_600), subject: "openai-api-key", subjectKind: "secret",
                   action: "secret.skipped", trigger: "manual", actor: "cli:alice", reason: reason, outcome: "succeeded")
    }

    @Test func aFieldStartingWithTabOrCarriageReturnIsDefusedLikeAFormula() {
        #expect(AuditExport.csvField("=1+1") == "'=1+1")
        #expect(AuditExport.csvField("\t=HYPERLINK(\"x\")") == "\"'\t=HYPERLINK(\"\"x\"\")\"")
        #expect(AuditExport.csvField("\t-1") == "'\t-1")
        #expect(AuditExport.csvField("\r=1+1") == "\"'\r=1+1\"")
        #expect(AuditExport.csvField("\r\n@SUM(A1)") == "\"'\r\n@SUM(A1)\"")
        #expect(AuditExport.csvField("release freeze") == "release freeze")
        #expect(AuditExport.csvField("a\tb") == "a\tb", "only a leading TAB starts a formula")
    }

    @Test func valuesPassThroughTheGivenTransformBeforeQuoting() {
        let evil = "freeze\u{1B}]0;owned\u{07}\r\nFAKE ROW"
        let raw = AuditExport.csv([Self.event(reason: evil)])
        #expect(raw.contains(evil), "the file export keeps the value as stored")
        let shown = AuditExport.csv([Self.event(reason: evil)], value: ControlCharacters.escaped)
        #expect(!shown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" })
        #expect(shown.contains(#"freeze\e]0;owned\u{7}\r\nFAKE ROW"#))
        #expect(shown.components(separatedBy: "\r\n").count == 3, "header, one row, and the final line end")
    }

    @Test func controlCharactersAreEscapedAndEverythingElseKept() {
        #expect(ControlCharacters.escaped("plain name-1_ü ✅ \\n") == "plain name-1_ü ✅ \\n")
        #expect(ControlCharacters.escaped("a\nb\rc\td\0e") == #"a\nb\rc\td\0e"#)
        #expect(ControlCharacters.escaped("\u{1B}[2J\u{7F}\u{9B}31m") == #"\e[2J\u{7F}\u{9B}31m"#)
    }
}
