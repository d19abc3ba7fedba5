import Foundation
import RotorHTTP
import RotorNotifiers
import RotorTestSupport
import Testing

/// `WebhookTransport` posting to a loopback receiver that checks every delivery the way a real
/// receiver must: `WebhookSignature.verify` against its own clock, 401 when it fails.
@Suite struct WebhookTransportTests {
    let client = HTTPClient()
    let secret = Array("webhook-signing-secret-0123456789".utf8)
    let path = "/hooks/rotor"

    /// A receiver at `path` that answers 204 to a valid signature and 401 to anything else.
    func receiver() throws -> TestHTTPServer {
        let server = try TestHTTPServer()
        let secret = secret
        server.route(path) { request in
            let valid = WebhookSignature.verify(
                secret: secret, timestamp: request.headers[WebhookSignature.timestampHeader] ?? "",
                body: request.body, signature: request.headers[WebhookSignature.signatureHeader] ?? "", now: Date())
            return valid ? TestHTTPResponse(status: 204) : .text("bad signature", status: 401)
        }
        return server
    }

    @Test func receiverVerifiesTheSignatureAndReadsEveryField() async throws {
        let server = try receiver()
        defer { server.stop() }
        let sentAt = Date()
        try await WebhookTransport(url: server.url(path), signingSecret: secret, client: client, now: { sentAt })
            .deliver(Notifications.warning)

        let request = try #require(server.requests(to: path).first)
        #expect(request.method == "POST")
        #expect(request.headers["Content-Type"] == "application/json")
        #expect(request.headers[WebhookSignature.timestampHeader] == "\(Int(sentAt.timeIntervalSince1970))")
        #expect(request.headers[WebhookTransport.deliveryHeader] == "outbox-42")
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(Set(payload.keys) == ["id", "kind", "urgent", "subject", "text", "links", "fields", "sent_at"])
        #expect(payload["id"] as? String == "outbox-42")
        #expect(payload["kind"] as? String == "warning")
        #expect(payload["urgent"] as? Bool == false)
        #expect(payload["subject"] as? String == Notifications.warning.subject)
        #expect(payload["text"] as? String == Notifications.warning.text)
        #expect(payload["links"] as? [String: String] == Notifications.warning.links)
        #expect(payload["fields"] as? [String: String] == Notifications.warning.fields)
        let sentAtText = try #require(payload["sent_at"] as? String)
        let parsed = try #require(ISO8601DateFormatter().date(from: sentAtText))
        #expect(abs(parsed.timeIntervalSince(sentAt)) < 1)
    }

    @Test func notificationWithoutIDSendsNoDeliveryHeader() async throws {
        let server = try receiver()
        defer { server.stop() }
        try await WebhookTransport(url: server.url(path), signingSecret: secret, client: client).deliver(Notifications.failed)
        let request = try #require(server.requests(to: path).first)
        #expect(request.headers[WebhookTransport.deliveryHeader] == nil)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(payload["id"] == nil)
        #expect(payload["urgent"] as? Bool == true)
    }

    @Test func tamperedBodyOrSignatureIsRefusedByTheReceiver() async throws {
        let server = try receiver()
        defer { server.stop() }
        try await WebhookTransport(url: server.url(path), signingSecret: secret, client: client).deliver(Notifications.warning)
        let original = try #require(server.requests(to: path).first)

        // The same headers with a changed body, then the same body with another secret's signature.
        var body = original.body
        body[body.firstIndex(of: UInt8(ascii: "7"))!] = UInt8(ascii: "8")
        let replay = HTTPRequest(method: .POST, url: server.url(path), headers: original.headers, body: body)
        #expect(try await client.execute(replay).status == 401)
        var forged = original.headers
        forged[WebhookSignature.signatureHeader] = WebhookSignature.sign(
            secret: Array("guessed".utf8), timestamp: Int(original.headers[WebhookSignature.timestampHeader]!)!, body: original.body)
        #expect(try await client.execute(HTTPRequest(method: .POST, url: server.url(path), headers: forged, body: original.body)).status == 401)
        // And the untouched original still passes, so the 401s are about the tampering.
        #expect(try await client.execute(HTTPRequest(method: .POST, url: server.url(path), headers: original.headers, body: original.body)).status == 204)
    }

    @Test func deliverySignedMoreThanFiveMinutesAgoIsRefusedForGood() async throws {
        let server = try receiver()
        defer { server.stop() }
        let transport = WebhookTransport(url: server.url(path), signingSecret: secret, client: client,
                                         now: { Date().addingTimeInterval(-301) })
        let error = try await failure(transport)
        #expect(error.status == 401)
        #expect(!error.retryable)
        #expect(error.message.contains("bad signature"))
    }

    @Test func serverErrorIsRetryableAndBadRequestIsPermanent() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route(path, .text("down", status: 500))
        let transport = WebhookTransport(url: server.url(path), signingSecret: secret, client: client)
        let serverError = try await failure(transport)
        #expect(serverError.retryable)
        #expect(serverError.status == 500)
        server.route(path, .text("unknown kind", status: 400))
        let badRequest = try await failure(transport)
        #expect(!badRequest.retryable)
        #expect(badRequest.status == 400)
        #expect(badRequest.message.contains("HTTP 400 (unknown kind)"))
    }

    @Test func emptySigningSecretIsRefusedWithoutSending() async throws {
        let server = try receiver()
        defer { server.stop() }
        let error = try await failure(WebhookTransport(url: server.url(path), signingSecret: [], client: client))
        #expect(!error.retryable)
        #expect(error.message.contains("signing secret is empty"))
        #expect(server.requests(to: path).isEmpty)
    }

    private func failure(_ transport: WebhookTransport) async throws -> DeliveryError {
        do {
            try await transport.deliver(Notifications.warning)
        } catch let error as DeliveryError {
            return error
        }
        Issue.record("expected the delivery to fail")
        return DeliveryError(channel: "none", retryable: false, message: "delivered")
    }
}
