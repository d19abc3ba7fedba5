import Foundation
import RotorCore
import RotorCrypto
import Testing

/// The canonical encoding is a published format (README, the auditor's Python): these pin it byte for byte.
@Suite("Audit chain encoding")
struct AuditChainEncodingTests {
    static let event = AuditEvent(id: 7, at: Date(timeIntervalSince1970: 1_796_000_000.123), subject: "openai-api-key",
                                  subjectKind: "secret", action: "rotation.completed", newFingerprint: "4e5f6a7b", newLast4: "Q9zP",
                                  actor: "scheduler", reason: "", outcome: "completed", detail: "ünïcode, \"quotes\"\nline")

    @Test func theCanonicalContentIsLengthPrefixedFieldsInTheDocumentedOrder() {
        let expected = "rotor-audit-v1\n1:7\n13:1796000000123\n14:openai-api-key\n6:secret\n18:rotation.completed\n-\n-\n8:4e5f6a7b"
            + "\n4:Q9zP\n-\n9:scheduler\n0:\n9:completed\n-\n24:ünïcode, \"quotes\"\nline\n1:0"
        #expect(String(decoding: AuditChain.content(of: Self.event), as: UTF8.self) == expected)
        // The same bytes any SHA-256 gives: the genesis hash's 32 zero bytes, then the content.
        #expect(AuditChain.hash(prevHash: AuditChain.genesis, content: AuditChain.content(of: Self.event))
                == SHA256.hex([UInt8](repeating: 0, count: 32) + Array(expected.utf8)))
    }

    @Test func anEmptyValueAndNoValueHashDifferently() {
        var none = Self.event
        none.reason = nil
        #expect(AuditChain.content(of: none) != AuditChain.content(of: Self.event))
        // Moving a character between fields changes the content too (the length prefixes keep them apart).
        var moved = Self.event
        moved.subject = "openai-api-keys"
        moved.subjectKind = "ecret"
        #expect(AuditChain.content(of: moved) != AuditChain.content(of: Self.event))
    }

    @Test func aCSVExportReadsBackExactlyAsTheJSONOne() throws {
        var rows: [ChainedAuditEvent] = []
        var previous = AuditChain.genesis
        for index in 1...3 {
            var event = Self.event
            event.id = Int64(index)
            event.reason = index == 2 ? "=1+1, a formula" : "-leading dash"
            let link = AuditChain.link(event, after: previous, key: nil)
            rows.append(link)
            previous = link.hash ?? ""
        }
        let csv = AuditExport.csv(chained: rows)
        let result = AuditChainFile.verify(Data(csv.utf8))
        #expect(result.intact && result.rowsChecked == 3 && result.headHash == previous, "\(result)")
        let edited = csv.replacingOccurrences(of: "-leading dash", with: "-leading dash!")
        #expect(AuditChainFile.verify(Data(edited.utf8)).firstBad?.id == 1)
    }
}
