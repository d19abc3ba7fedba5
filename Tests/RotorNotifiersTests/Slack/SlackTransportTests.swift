import Foundation
import RotorHTTP
import RotorNotifiers
import RotorTestSupport
import Testing

/// `SlackTransport` posting to a loopback stand-in for Slack's incoming-webhook endpoint.
@Suite struct SlackTransportTests {
    let client = HTTPClient()
    let path = "/services/T0001/B0002/XXXXtokenXXXX"

    func json(_ request: RecordedRequest) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
    }

    func blockTexts(_ payload: [String: Any]) -> [String] {
        (payload["blocks"] as? [[String: Any]] ?? []).compactMap { ($0["text"] as? [String: Any])?["text"] as? String }
    }

    @Test func postsMrkdwnBlocksWithFieldsAndLinksAndSucceedsOnOK() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route(path, .text("ok"))
        try await SlackTransport(webhookURL: server.url(path), client: client).deliver(Notifications.warning)

        let request = try #require(server.requests(to: path).first)
        #expect(request.method == "POST")
        #expect(request.headers["Content-Type"] == "application/json")
        let payload = try json(request)
        #expect(payload["text"] as? String == "openai-api-key rotates in 7 days")
        let blocks = try #require(payload["blocks"] as? [[String: Any]])
        #expect(blocks.allSatisfy { $0["type"] as? String == "section" })
        let texts = blockTexts(payload)
        #expect(texts.first == "*openai-api-key rotates in 7 days*\nThe key sk-…x7K2 will be replaced on 2025-03-01 at 02:00 UTC. Nothing needs doing. &lt;b&gt;&amp;&lt;/b&gt;")
        #expect(texts.last == "<https://rotor.example.com/r/now-token|Rotate now>  ·  <https://rotor.example.com/r/skip-token?a=1&b=2|Skip 30 days>")
        let fields = try #require(blocks[1]["fields"] as? [[String: Any]])
        #expect(fields.map { $0["type"] as? String } == ["mrkdwn", "mrkdwn"])
        #expect(fields.map { $0["text"] as? String } == ["*rotates_at*\n2025-03-01T02:00:00Z", "*secret*\nopenai-api-key"])
    }

    @Test func urgentMessagesStartWithTheAlarm() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route(path, .text("ok"))
        try await SlackTransport(webhookURL: server.url(path), client: client).deliver(Notifications.failed)

        let payload = try json(try #require(server.requests(to: path).first))
        #expect(payload["text"] as? String == ":rotating_light: *URGENT* Rotation of stripe-key failed")
        #expect(blockTexts(payload).first?.hasPrefix(":rotating_light: *URGENT* *Rotation of stripe-key failed*\n") == true)
    }

    @Test func throttlingAndServerErrorsAreRetryable() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        for status in [429, 500, 503] {
            server.route(path, .text("rate_limited", status: status))
            let error = try await failure(SlackTransport(webhookURL: server.url(path), client: client))
            #expect(error.retryable, "\(status)")
            #expect(error.status == status)
            #expect(error.channel == "slack")
        }
    }

    @Test func clientErrorsArePermanentAndKeepSlacksReason() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        for (status, reason) in [(400, "invalid_payload"), (403, "action_prohibited"), (404, "no_service"), (410, "channel_is_archived")] {
            server.route(path, .text(reason, status: status))
            let error = try await failure(SlackTransport(webhookURL: server.url(path), client: client))
            #expect(!error.retryable, "\(status)")
            #expect(error.status == status)
            #expect(error.message.contains("HTTP \(status) (\(reason))"), "\(error)")
            #expect(error.message.contains("http://127.0.0.1:\(server.port)/<redacted>"), "\(error)")
        }
    }

    @Test func unreachableWebhookIsRetryable() async throws {
        let port = try await TestHTTPServer.closedPort()
        let error = try await failure(SlackTransport(webhookURL: "http://127.0.0.1:\(port)\(path)", client: client))
        #expect(error.retryable)
        #expect(error.status == nil)
        #expect(error.message.contains("could not connect"), "\(error)")
    }

    private func failure(_ transport: SlackTransport) async throws -> DeliveryError {
        do {
            try await transport.deliver(Notifications.warning)
        } catch let error as DeliveryError {
            return error
        }
        Issue.record("expected the delivery to fail")
        return DeliveryError(channel: "none", retryable: false, message: "delivered")
    }
}
