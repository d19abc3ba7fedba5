import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import Testing
@testable import RotorServer

/// Refused anonymous requests reach the audit log in aggregate: a flood cannot fill it.
@Suite("Refusal audit")
struct RefusalAuditTests {
    static let forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    @Test func aFloodOfRefusedLinksWritesTwoRowsNotOnePerRequest() async throws {
        let world = try await ServerWorld.make(limits: ServiceLimits(failuresPerWindow: 1_000))
        try await world.test { client in
            for _ in 0..<50 { #expect(try await client.execute(uri: "/r/\(Self.forged)", method: .post).status == .notFound) }
            // The first one at once, as it happened.
            let first = try await world.audit("reply.refused")
            #expect(first.map(\.reason) == ["unknown token (forged or mistyped)"])
            #expect(first.first?.detail == "via link; from unknown")

            // The rest as one count when the window closes: the next refusal after it writes it.
            world.clock.advance(by: 61)
            #expect(try await client.execute(uri: "/r/\(Self.forged)", method: .post).status == .notFound)
            let rows = try await world.audit("reply.refused")
            #expect(rows.count == 3)
            #expect(rows[1].reason == "49 more refused reply link requests")
            #expect(rows[1].subject == "reply")
            #expect(rows[1].detail == "from unknown between \(ServerWorld.start.iso) and \(ServerWorld.start.addingTimeInterval(60).iso): "
                + "unknown token (forged or mistyped) ×49")
            #expect(rows[2].reason == "unknown token (forged or mistyped)")
        }
    }

    @Test func refusalsPastTheLimitAreCountedInTheSummaryToo() async throws {
        let world = try await ServerWorld.make(limits: ServiceLimits(failuresPerWindow: 2))
        try await world.test { client in
            let wrong: HTTPFields = [.authorization: "Bearer wrong"]
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<5 {
                statuses.append(try await client.execute(uri: "/v1/secrets/openai-api-key/emergency", method: .post, headers: wrong,
                                                         body: ByteBuffer(string: #"{"reason":"x"}"#)).status)
            }
            #expect(statuses == [.unauthorized, .unauthorized, .tooManyRequests, .tooManyRequests, .tooManyRequests])
            try await world.flushRefusals()
            let rows = try await world.audit("admin.refused")
            #expect(rows.map(\.reason) == ["the admin bearer token is not valid", "4 more refused admin bearer token requests"])
            #expect(rows.last?.detail?.hasSuffix("over the failure limit ×3, the admin bearer token is not valid ×1") == true)
            #expect(rows.allSatisfy { $0.actor == "admin-api" && $0.outcome == "refused" })
        }
    }

    @Test func ledgerAuditsTheFirstOfEachWindowAndCountsTheRest() {
        var ledger = RefusalLedger(window: .seconds(60), capacity: 10)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let (a, b) = (ClientAddress("192.0.2.1"), ClientAddress("192.0.2.2"))
        #expect(ledger.record(.replyLink, from: a, reason: "x", at: start) == (true, []))
        #expect(ledger.record(.replyLink, from: a, reason: "x", at: start.addingTimeInterval(1)) == (false, []))
        #expect(ledger.record(.replyLink, from: a, reason: "y", at: start.addingTimeInterval(2)) == (false, []))
        #expect(ledger.record(.replySignature, from: a, reason: "x", at: start.addingTimeInterval(3)) == (true, []))
        #expect(ledger.record(.replyLink, from: b, reason: "x", at: start.addingTimeInterval(4)) == (true, []))
        #expect(ledger.closeWindows(at: start.addingTimeInterval(59)).isEmpty)
        let closed = ledger.closeWindows(at: start.addingTimeInterval(60))
        #expect(closed == [RefusalLedger.Summary(address: a, kind: .replyLink, windowStart: start, windowEnd: start.addingTimeInterval(60),
                                                 count: 2, reasons: ["x": 1, "y": 1])])
        // A new window: its first refusal is audited at once again.
        #expect(ledger.record(.replyLink, from: a, reason: "x", at: start.addingTimeInterval(61)) == (true, []))
        #expect(ledger.closeAll(at: start.addingTimeInterval(62)).isEmpty)
    }

    @Test func aLedgerAtCapacityClosesItsOldestWindowsEarly() {
        var ledger = RefusalLedger(window: .seconds(60), capacity: 10)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        var closed: [RefusalLedger.Summary] = []
        for index in 0..<30 {
            let address = ClientAddress("192.0.2.\(index)")
            for _ in 0..<2 { closed += ledger.record(.replyLink, from: address, reason: "x", at: start.addingTimeInterval(Double(index))).closed }
        }
        closed += ledger.closeAll(at: start.addingTimeInterval(30))
        #expect(closed.count == 30)
        #expect(closed.allSatisfy { $0.count == 1 })
    }
}
