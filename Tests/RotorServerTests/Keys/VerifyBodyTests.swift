import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import Testing
@testable import RotorServer

/// `POST /v1/keys/verify` reads the plain `{"key": "…"}` body without the JSON decoder; every other body is
/// decoded as before, so broken, hostile and huge bodies are answered exactly as they were.
@Suite("Verify body")
struct VerifyBodyTests {
    @Test func thePlainFormIsFoundAndAnythingElseIsLeftToTheDecoder() {
        func plain(_ text: String) -> String? {
            let bytes = Array(text.utf8)
            return VerifyBody.plainKey(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
        }
        #expect(plain(#"{"key":"rk_live_x"}"#) == "rk_live_x")
        #expect(plain(" {\n\t\"key\" : \"abc\" }\r\n") == "abc")
        #expect(plain(#"{"key":""}"#) == "")
        for other in [#"{"key":"a\"b"}"#, #"{"key":"\u0072k"}"#, #"{"key":"a","x":1}"#, #"{"key":"a","key":"b"}"#,
                      #"{"key":"abc"#, #"{"key":1}"#, #"{"Key":"a"}"#, #"["key","a"]"#, #"{"key":"a"}x"#, "", "{",
                      "{\"key\":\"a\u{1}b\"}", "{\"key\":\"é\"}"] {
            #expect(plain(other) == nil, "\(other.debugDescription)")
        }
        #expect(VerifyBody.plainKey(in: Array(#"{"key":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)) == nil)
    }

    @Test func escapedAndPlainBodiesGetTheSameAnswerAndBrokenOnesTheSame400() async throws {
        let world = try await ServerWorld.make()
        let (record, key) = try await world.keyTable.create(org: "acme", name: "a", scopes: [], rateLimit: nil, actor: "t")
        let escaped = "\\u0072" + key.revealed.dropFirst()
        let hugeKey = String(repeating: "A", count: 15_000)
        try await world.test { client in
            func verify(_ body: [UInt8]) async throws -> TestResponse {
                try await client.execute(uri: "/v1/keys/verify", method: .post, body: ByteBuffer(bytes: body))
            }
            for body in [#"{"key":"\#(key.revealed)"}"#, #" { "key" : "\#(key.revealed)" } "#, #"{"key":"\#(escaped)"}"#,
                         #"{"key":"\#(key.revealed)","extra":[1,2]}"#] {
                let answer = try ServerWorld.decode(try await verify(Array(body.utf8)))
                #expect(answer["valid"] as? Bool == true && answer["key_id"] as? String == record.id, "\(body)")
            }
            let huge = try await verify(Array(#"{"key":"\#(hugeKey)"}"#.utf8))
            #expect(huge.status == .ok)
            #expect(try ServerWorld.decode(huge)["reason"] as? String == "bad_format")
            #expect(!huge.text.contains(hugeKey))
            for broken in [Array(#"{"key":"abc"#.utf8), Array(#"{"key":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8),
                           Array(#"{"key":7}"#.utf8), Array("{}".utf8), Array(repeating: UInt8(ascii: "["), count: 10_000)] {
                let answer = try await verify(broken)
                #expect(answer.status == .badRequest, "\(String(decoding: broken.prefix(20), as: UTF8.self))")
                #expect(try ServerWorld.decode(answer)["hint"] as? String == #"send {"key": "…"}"#)
            }
        }
    }
}
