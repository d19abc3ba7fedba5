import Foundation
import RotorCore
import Testing

/// Audit rows written under `--now` carry `"simulated_now": true` in their detail, whatever the detail was.
@Suite("Audit rows under a simulated now")
struct AuditSimulatedNowTests {
    static func event(detail: String?) -> AuditEvent {
        AuditEvent(at: Date(timeIntervalSince1970: 0), subject: "s", subjectKind: "secret", action: "rotation.completed",
                   actor: "scheduler", outcome: "succeeded", detail: detail)
    }

    static func object(_ detail: String?) throws -> [String: Any] {
        let text = try #require(detail)
        return try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func anObjectDetailKeepsItsKeysAndGainsTheFlag() throws {
        let marked = Self.event(detail: #"{"step":"verify","targets":["a","b"],"nested":{"x":1}}"#).markedSimulatedNow()
        #expect(marked.detail == #"{"simulated_now":true,"step":"verify","targets":["a","b"],"nested":{"x":1}}"#)
        #expect(marked.isSimulatedNow)
        #expect(Self.event(detail: "{}").markedSimulatedNow().detail == #"{"simulated_now":true}"#)
        #expect(Self.event(detail: " { } ").markedSimulatedNow().isSimulatedNow)
    }

    @Test(arguments: [nil, "plain words", "[1,2,3]", "\"a string\"", "{not json", "{\"a\":", "\u{1B}[2J\r\nFAKE", "null",
                      String(repeating: "{", count: 100_000)])
    func anyOtherDetailIsKeptUnderDetail(_ detail: String?) throws {
        let marked = Self.event(detail: detail).markedSimulatedNow()
        let object = try Self.object(marked.detail)
        #expect(object["simulated_now"] as? Bool == true)
        #expect(object["detail"] as? String == detail)
        #expect(marked.isSimulatedNow)
        // Marking twice changes nothing.
        #expect(marked.markedSimulatedNow() == marked)
    }

    @Test func rowsNotMarkedAreNotSimulated() {
        #expect(!Self.event(detail: nil).isSimulatedNow)
        #expect(!Self.event(detail: #"{"simulated_now":false}"#).isSimulatedNow)
        #expect(!Self.event(detail: #"{"detail":"simulated_now"}"#).isSimulatedNow)
    }
}
