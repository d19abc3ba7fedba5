import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorTestSupport
import Testing
@testable import RotorServer

/// The service as a whole: health, error shape, real HTTP, and what answers never contain.
@Suite("Service")
struct ServiceTests {
    @Test func healthzAnswersOkWhileTheStoreAnswers() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.text == #"{"status":"ok"}"#)
            await world.store.close()
            let down = try await client.execute(uri: "/healthz", method: .get)
            #expect(down.status == .serviceUnavailable)
            #expect(try ServerWorld.decode(down)["error"] as? String == "the store does not answer")
        }
    }

    @Test func unknownRoutesAndMethodsAnswerWithTheJSONErrorShape() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            for (uri, method) in [("/v2/nothing", HTTPRequest.Method.get), ("/v1/replies", .get)] {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status.code >= 400 && response.status.code < 500)
                let body = try ServerWorld.decode(response)
                #expect(body["error"] is String)
                #expect(body["hint"] is String)
            }
        }
    }

    @Test func servesOverRealHTTP() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "skip")
        let app = world.service.application(host: "127.0.0.1", port: 0)
        do {
            try await app.test(.live) { client in
                #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
                let page = try await client.execute(uri: "/r/\(token)", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[HTTPFields.Element.Name("Referrer-Policy")!] == "no-referrer")
                let act = try await client.execute(uri: "/r/\(token)", method: .post)
                #expect(act.status == .ok)
                #expect(try await client.execute(uri: "/r/\(token)", method: .post).status == .gone)
                let big = ByteBuffer(string: String(repeating: "x", count: 20_000))
                #expect(try await client.execute(uri: "/v1/keys/verify", method: .post, body: big).status == .contentTooLarge)
            }
        } catch {
            await world.close()
            throw error
        }
        await world.close()
    }

    /// Every answer but the claim's is free of the link token, the customer key and the secret values.
    @Test func tokensKeysAndValuesNeverAppearInAnAnswer() async throws {
        let world = try await ServerWorld.make()
        let skipToken = try await world.issue(action: "skip", code: "CANARYC2")
        let usedUp = try await world.issue(action: "rotate-now")
        let (record, key) = try await world.keyTable.create(org: "acme", name: "canary", scopes: [], rateLimit: nil, actor: "tests")
        _ = try await world.keyTable.rotate(id: record.id, trigger: .schedule, actor: "scheduler", reason: nil, deliverByPickup: true)
        try await world.test { client in
            var bodies: [String] = []
            let admin: HTTPFields = [.authorization: "Bearer admin-token-for-tests"]
            for (uri, method, body, headers) in [
                ("/r/\(skipToken)", HTTPRequest.Method.get, nil, [:]),
                ("/r/\(usedUp)", .post, nil, [:]),
                ("/r/\(usedUp)", .post, nil, [:]),
                ("/r/\(usedUp)", .get, nil, [:]),
                ("/r/\(skipToken)x", .post, nil, [:]),
                ("/v1/keys/verify", .post, #"{"key":"\#(key.revealed)"}"#, [:]),
                ("/v1/keys/verify", .post, #"{"key":"\#(key.revealed)x"}"#, [:]),
                ("/v1/keys/claim", .post, #"{"old_key":"\#(key.revealed)x"}"#, [:]),
                ("/v1/secrets/openai-api-key/emergency", .post, #"{"reason":"canary"}"#, admin),
                ("/v1/secrets/openai-api-key/emergency", .post, #"{"reason":"canary"}"#, admin),
            ] as [(String, HTTPRequest.Method, String?, HTTPFields)] {
                let response = try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
                bodies.append(response.text)
            }
            for text in ["SKIP", "SKIP 3d", "hello"] {
                let payload = #"{"code":"CANARYC2","text":"\#(text)","from":"canary"}"#
                let response = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(payload),
                                                        body: ByteBuffer(string: payload))
                bodies.append(response.text)
            }
            let claim = try await client.execute(uri: "/v1/keys/claim", method: .post,
                                                 body: ByteBuffer(string: #"{"old_key":"\#(key.revealed)"}"#))
            #expect(claim.status == .ok)
            let newKey = try #require(try ServerWorld.decode(claim)["key"] as? String)
            // The emergency trigger answers at once; its rotation writes the target in the background.
            try await eventually("the emergency rotation wrote the target") { world.providers.targetValue != nil }
            let newValue = try #require(world.providers.targetValue)
            #expect(bodies.count == 13)
            for body in bodies {
                for canary in [skipToken, usedUp, key.revealed, newKey, ServerWorld.importedValue, newValue, "CANARYC2"] {
                    #expect(!body.contains(canary), "an answer contains a secret: \(body.prefix(80))")
                }
            }
            #expect(!claim.text.contains(key.revealed))
        }
    }

    @Test func pagesEscapeHTML() {
        #expect(HTMLPage.escape(#"<script>alert("x")</script> & 'y'"#)
            == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;")
        let page = HTMLPage(title: "<b>", paragraphs: ["a<b"], button: .init(label: "\"go\"")).render()
        #expect(page.contains("<h1>&lt;b&gt;</h1>"))
        #expect(page.contains("<p>a&lt;b</p>"))
        #expect(page.contains("&quot;go&quot;</button>"))
        #expect(!page.contains("action="))
    }

    @Test func replyTextIsParsedStrictly() throws {
        #expect(try ReplyCommand.parse("SKIP") == .skip(nil))
        #expect(try ReplyCommand.parse(" skip\t14d\n") == .skip(.seconds(14 * 86_400)))
        #expect(try ReplyCommand.parse("Skip 2W") == .skip(.seconds(14 * 86_400)))
        #expect(try ReplyCommand.parse("rotate now") == .rotateNow)
        for text in ["", "SKIP 14", "SKIP 0d", "SKIP -1d", "SKIP 14d please", "ROTATE", "ROTATE NOW!", "NOW ROTATE", "skipp"] {
            #expect(throws: ServerError.self, "\(text)") { try ReplyCommand.parse(text) }
        }
    }
}
