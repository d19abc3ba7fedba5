import Foundation
import RotorHTTP
import RotorNotifiers
import RotorTestSupport
import Testing

/// `EmailTransport` delivering to a real SMTP server (aiosmtpd) on loopback.
@Suite struct EmailTransportTests {
    let client = HTTPClient()

    func transport(_ server: SMTPTestServer, to: [String] = ["oncall@example.com"]) -> EmailTransport {
        EmailTransport(server: SMTPServer(url: server.url, requireTLS: false, timeout: .seconds(10)),
                       from: "rotor@example.com", to: to, client: client)
    }

    @Test func urgentNotificationArrivesMarkedUrgentWithHighPriority() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        try await transport(server, to: ["oncall@example.com", "security@example.com"]).deliver(Notifications.failed)

        let mail = try #require(try server.messages().first)
        #expect(mail.rcptTos == ["oncall@example.com", "security@example.com"])
        #expect(mail.subject == "[URGENT] Rotation of stripe-key failed")
        #expect(mail.header("X-Priority") == "1")
        #expect(mail.header("Importance") == "high")
        #expect(mail.header("X-Rotor-Kind") == "failed")
        #expect(mail.body == "Rollback failed on target render:srv-abc123. Act now.\r\n\r\nsecret: stripe-key\r\n")
    }

    @Test func ordinaryNotificationCarriesTextFieldsAndLinks() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        try await transport(server).deliver(Notifications.warning)

        let mail = try #require(try server.messages().first)
        #expect(mail.subject == "openai-api-key rotates in 7 days")
        #expect(mail.header("X-Priority") == nil)
        #expect(mail.header("X-Rotor-Kind") == "warning")
        let body = try #require(mail.body).replacingOccurrences(of: "\r\n", with: "\n")
        #expect(body == """
            The key sk-…x7K2 will be replaced on 2025-03-01 at 02:00 UTC. Nothing needs doing. <b>&</b>

            rotates_at: 2025-03-01T02:00:00Z
            secret: openai-api-key

            Rotate now: https://rotor.example.com/r/now-token
            Skip 30 days: https://rotor.example.com/r/skip-token?a=1&b=2

            """)
    }

    @Test func sameNotificationIDGivesTheSameMessageIDOnEveryAttempt() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let sender = transport(server)
        try await sender.deliver(Notifications.warning)
        try await sender.deliver(Notifications.warning)
        try await sender.deliver(Notifications.failed)

        let ids = try server.messages().map { $0.header("Message-ID") }
        #expect(ids.count == 3)
        #expect(ids[0] == ids[1])
        #expect(ids[0]?.hasPrefix("<rotor.") == true && ids[0]?.hasSuffix("@example.com>") == true)
        #expect(ids[2] != ids[0])
    }

    @Test func refusedRecipientIsPermanent() async throws {
        let server = try await SMTPTestServer.start(refuse: ["gone@example.com"])
        defer { server.stop() }
        let error = try await failure(transport(server, to: ["gone@example.com"]))
        #expect(!error.retryable)
        #expect(error.status == 550)
        #expect(error.channel == "email")
        #expect(error.message.contains("Recipient address rejected"), "\(error)")
        #expect(try server.messages().isEmpty)
    }

    @Test func serverDownIsRetryable() async throws {
        let port = try await TestHTTPServer.closedPort()
        let sender = EmailTransport(server: SMTPServer(url: "smtp://127.0.0.1:\(port)", requireTLS: false),
                                    from: "rotor@example.com", to: ["oncall@example.com"], client: client)
        let error = try await failure(sender)
        #expect(error.retryable)
        #expect(error.status == nil)
    }

    @Test func invalidConfiguredAddressIsPermanent() async throws {
        let server = try await SMTPTestServer.start()
        defer { server.stop() }
        let sender = EmailTransport(server: SMTPServer(url: server.url, requireTLS: false),
                                    from: "rotor@example.com", to: ["not an address"], client: client)
        let error = try await failure(sender)
        #expect(!error.retryable)
        #expect(error.message.contains("recipient 1 of 1 is not a plain address"))
    }

    private func failure(_ transport: EmailTransport) async throws -> DeliveryError {
        do {
            try await transport.deliver(Notifications.warning)
        } catch let error as DeliveryError {
            return error
        }
        Issue.record("expected the delivery to fail")
        return DeliveryError(channel: "none", retryable: false, message: "delivered")
    }
}
