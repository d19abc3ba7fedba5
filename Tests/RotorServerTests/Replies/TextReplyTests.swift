import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import Testing

/// `POST /v1/replies`: signed text replies from a chat or SMS bridge.
@Suite("Text replies")
struct TextReplyTests {
    let day = ServerWorld.day
    let start = ServerWorld.start

    func body(code: String, text: String) -> String {
        #"{"code":"\#(code)","from":"U024BE7LH (Slack)","text":"\#(text)"}"#
    }

    @Test func skipSkipWithDurationAndRotateNowWithAValidSignature() async throws {
        let world = try await ServerWorld.make()
        _ = try await world.issue(action: "skip", code: "SKIPAAA2")
        _ = try await world.issue(action: "skip", code: "SKIPBBB3")
        _ = try await world.issue(action: "skip", code: "SKIPCCC4")
        try await world.test { client in
            let due = start.addingTimeInterval(30 * day)
            let skip = body(code: "SKIPAAA2", text: "SKIP")
            let first = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(skip),
                                                 body: ByteBuffer(string: skip))
            #expect(first.status == .ok)
            let answer = try ServerWorld.decode(first)
            #expect(answer["outcome"] as? String == "skipped")
            #expect(answer["next_rotation_at"] as? String == due.addingTimeInterval(30 * day).iso)
            #expect(answer["capped"] as? Bool == false)
            #expect(answer["skips_used"] as? Int == 1)

            // Lower case, extra spaces and a lower-case code are accepted.
            let fourteen = body(code: "skipbbb3", text: "  skip   14d ")
            let second = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(fourteen),
                                                  body: ByteBuffer(string: fourteen))
            #expect(second.status == .ok)
            #expect(try ServerWorld.decode(second)["next_rotation_at"] as? String == due.addingTimeInterval(44 * day).iso)
            #expect(try await world.secretRecord.nextRotationAt == due.addingTimeInterval(44 * day))
            #expect(try await world.audit("secret.skipped").map(\.actor) == ["reply:U024BE7LH (Slack)", "reply:U024BE7LH (Slack)"])

            let now = body(code: "SKIPCCC4", text: "Rotate Now")
            let third = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(now),
                                                 body: ByteBuffer(string: now))
            #expect(third.status == .ok)
            #expect(try ServerWorld.decode(third)["outcome"] as? String == "rotate-now")
            #expect(try await world.secretRecord.nextRotationAt == world.clock.now)

            let replay = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(skip),
                                                  body: ByteBuffer(string: skip))
            #expect(replay.status == .gone)
            #expect(try ServerWorld.decode(replay)["hint"] is String)
            #expect(try await world.audit("reply.refused").map(\.reason) == ["already used at \(world.clock.now.iso)"])
        }
    }

    @Test func badSignatureAndStaleTimestampAreUnauthorizedAndAudited() async throws {
        let world = try await ServerWorld.make()
        _ = try await world.issue(action: "skip", code: "SKIPAAA2")
        let before = try await world.secretRecord
        let skip = body(code: "SKIPAAA2", text: "SKIP")
        try await world.test { client in
            let forged = try await client.execute(uri: "/v1/replies", method: .post,
                                                  headers: world.signedHeaders(skip, secret: Array("wrong secret".utf8)),
                                                  body: ByteBuffer(string: skip))
            #expect(forged.status == .unauthorized)
            #expect(try ServerWorld.decode(forged)["error"] as? String == "the reply is not authenticated: bad signature")

            let stale = Int(world.clock.now.timeIntervalSince1970) - 6 * 60
            let old = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(skip, timestamp: stale),
                                               body: ByteBuffer(string: skip))
            #expect(old.status == .unauthorized)

            // A body changed after signing fails too.
            var headers = world.signedHeaders(skip)
            headers[.contentType] = "application/json"
            let tampered = body(code: "SKIPAAA2", text: "SKIP 90d")
            #expect(try await client.execute(uri: "/v1/replies", method: .post, headers: headers,
                                             body: ByteBuffer(string: tampered)).status == .unauthorized)
            #expect(try await client.execute(uri: "/v1/replies", method: .post,
                                             body: ByteBuffer(string: skip)).status == .unauthorized)

            #expect(try await world.secretRecord == before)
            // Unsigned replies are anonymous: the first is audited at once, the rest in one count (RefusalAuditTests).
            try await world.flushRefusals()
            let refused = try await world.audit("reply.refused")
            #expect(refused.map(\.reason) == ["bad signature", "3 more refused text reply signature requests"])
            #expect(refused.last?.detail?.hasSuffix("bad signature ×1, missing signature headers ×1, timestamp outside ±5 minutes ×1") == true)
            // Still usable by a genuine reply.
            #expect(try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(skip),
                                             body: ByteBuffer(string: skip)).status == .ok)
        }
    }

    @Test func unknownTextIsRefusedWithTheAcceptedFormsAndKeepsTheCode() async throws {
        let world = try await ServerWorld.make()
        _ = try await world.issue(action: "skip", code: "SKIPAAA2")
        try await world.test { client in
            for text in ["skip please", "SKIP 0d", "SKIP 14x", "ROTATE", "yes", ""] {
                let payload = body(code: "SKIPAAA2", text: text)
                let response = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(payload),
                                                        body: ByteBuffer(string: payload))
                #expect(response.status == .badRequest, "\(text)")
                let hint = try ServerWorld.decode(response)["hint"] as? String ?? ""
                #expect(hint.contains("SKIP") || hint.contains("30s, 15m"), "\(text)")
            }
            let notJSON = "code=SKIPAAA2&text=SKIP"
            #expect(try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(notJSON),
                                             body: ByteBuffer(string: notJSON)).status == .badRequest)
            let skip = body(code: "SKIPAAA2", text: "SKIP")
            #expect(try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(skip),
                                             body: ByteBuffer(string: skip)).status == .ok)
        }
    }

    @Test func unknownAndExpiredCodesAreRefused() async throws {
        let world = try await ServerWorld.make()
        _ = try await world.issue(action: "skip", code: "SKIPAAA2", expiresIn: 60)
        world.clock.advance(by: 61)
        try await world.test { client in
            let unknown = body(code: "NOSUCHC9", text: "SKIP")
            let notFound = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(unknown),
                                                    body: ByteBuffer(string: unknown))
            #expect(notFound.status == .notFound)
            let expired = body(code: "SKIPAAA2", text: "SKIP")
            let gone = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(expired),
                                                body: ByteBuffer(string: expired))
            #expect(gone.status == .gone)
            let refused = try await world.audit("reply.refused")
            #expect(refused.map(\.reason) == ["unknown token (forged or mistyped)", "expired at \(start.addingTimeInterval(60).iso)"])
        }
    }

    @Test func oversizedBodyIsRefusedWith413() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let huge = body(code: "SKIPAAA2", text: String(repeating: "S", count: 20_000))
            let response = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(huge),
                                                    body: ByteBuffer(string: huge))
            #expect(response.status == .contentTooLarge)
            #expect(try ServerWorld.decode(response)["error"] is String)
        }
    }

    @Test func withoutAReplySecretTextRepliesAreDisabled() async throws {
        let world = try await ServerWorld.make(replySecret: nil)
        try await world.test { client in
            let skip = body(code: "SKIPAAA2", text: "SKIP")
            let response = try await client.execute(uri: "/v1/replies", method: .post, body: ByteBuffer(string: skip))
            #expect(response.status == .serviceUnavailable)
            #expect(try ServerWorld.decode(response)["error"] as? String == "text replies are disabled")
        }
    }
}
