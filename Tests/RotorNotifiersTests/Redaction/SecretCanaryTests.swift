import Foundation
import RotorHTTP
import RotorNotifiers
import RotorTestSupport
import Testing

/// Plants canaries where the transports' credentials travel (a Slack webhook URL's token, an SMTP
/// password, a webhook signing secret), drives success and every kind of failure, and checks that no
/// canary reaches a log line (HTTP client and transports, at trace level) or an error, while the
/// servers prove the credentials really travelled.
@Suite struct SecretCanaryTests {
    let slackToken = "slack-canary-5e8a1f0b"
    let smtpPassword = "smtp-pw-canary-3c9b71"
    let wrongPassword = "smtp-pw-canary-wrong-77aa"
    let signingSecret = "hook-secret-canary-d41f"

    @Test func slackWebhookTokenNeverAppearsInLogsOrErrors() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let (logger, logs) = CapturingLogHandler.logger()
        let client = HTTPClient(logger: logger)
        defer { client.shutdown() }
        let path = "/services/T0001/B0002/\(slackToken)"
        let closedPort = try await TestHTTPServer.closedPort()

        var errors: [String] = []
        // Delivered; then refused with the token echoed back; then a server error; then unreachable.
        server.route(path, .text("ok"), .text("no_service \(slackToken)", status: 404), .text("boom \(slackToken)", status: 500))
        let slack = SlackTransport(webhookURL: server.url(path), client: client, logger: logger)
        try await slack.deliver(Notifications.warning)
        for _ in 0..<2 {
            do { try await slack.deliver(Notifications.failed) } catch { errors += describe(error) }
        }
        let unreachable = SlackTransport(webhookURL: "http://127.0.0.1:\(closedPort)\(path)", client: client, logger: logger)
        do { try await unreachable.deliver(Notifications.failed) } catch { errors += describe(error) }

        #expect(server.requests(to: path).count == 3, "the token really travelled in the URL")
        #expect(errors.count == 3 * 3)
        let lines = logs.all
        #expect(lines.contains { $0.contains("notification delivered") })
        #expect(lines.filter { $0.contains("notification not delivered") }.count == 3)
        for text in lines + errors {
            #expect(!text.contains(slackToken), "leaked: \(text)")
            #expect(!text.contains("T0001"), "leaked part of the webhook path: \(text)")
        }
        #expect(errors.contains { $0.contains("no_service <redacted>") }, "the receiver's echo is redacted, not dropped")
    }

    @Test func smtpPasswordNeverAppearsInLogsOrErrors() async throws {
        let server = try await SMTPTestServer.start(.startTLS, login: ("rotor", smtpPassword))
        defer { server.stop() }
        let (logger, logs) = CapturingLogHandler.logger()
        let client = HTTPClient(logger: logger)
        defer { client.shutdown() }
        let closedPort = try await TestHTTPServer.closedPort()

        func email(_ url: String, password: String, requireTLS: Bool = true, caFile: String? = server.certificateFile) -> EmailTransport {
            EmailTransport(server: SMTPServer(url: url, username: "rotor", password: password, requireTLS: requireTLS,
                                              caFile: caFile, timeout: .seconds(10)),
                           from: "rotor@example.com", to: ["oncall@example.com"], client: client, logger: logger)
        }
        try await email(server.url, password: smtpPassword).deliver(Notifications.warning)
        var errors: [String] = []
        let failing = [
            email(server.url, password: wrongPassword),                                   // refused login
            email(server.url, password: smtpPassword, caFile: nil),                       // untrusted certificate
            email(server.url, password: smtpPassword, requireTLS: false),                 // would go in clear
            email("smtp://127.0.0.1:\(closedPort)", password: smtpPassword),               // server down
            email("smtp://rotor:\(smtpPassword)@127.0.0.1:\(closedPort)", password: smtpPassword), // in the URL too
        ]
        for transport in failing {
            do { try await transport.deliver(Notifications.failed) } catch { errors += describe(error) }
        }

        #expect(try server.messages().map(\.authenticatedAs) == ["rotor"], "the password really travelled")
        #expect(errors.count == failing.count * 3)
        let lines = logs.all
        #expect(lines.contains { $0.contains("SMTP submission accepted") })
        #expect(lines.filter { $0.contains("notification not delivered") }.count == failing.count)
        for text in lines + errors {
            #expect(!text.contains(smtpPassword), "leaked: \(text)")
            #expect(!text.contains(wrongPassword), "leaked: \(text)")
            #expect(!text.contains(Data(smtpPassword.utf8).base64EncodedString()), "leaked in base64: \(text)")
        }
    }

    @Test func webhookSigningSecretNeverAppearsInLogsOrErrors() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/hook", .text("nope", status: 401))
        let (logger, logs) = CapturingLogHandler.logger()
        let client = HTTPClient(logger: logger)
        defer { client.shutdown() }
        let webhook = WebhookTransport(url: server.url("/hook"), signingSecret: Array(signingSecret.utf8), client: client, logger: logger)
        var errors: [String] = []
        do { try await webhook.deliver(Notifications.warning) } catch { errors += describe(error) }

        let request = try #require(server.requests(to: "/hook").first)
        #expect(request.headers[WebhookSignature.signatureHeader]?.hasPrefix("v1=") == true)
        #expect(errors.count == 3)
        for text in logs.all + errors {
            #expect(!text.contains(signingSecret), "leaked: \(text)")
        }
        #expect(logs.all.contains { $0.contains("X-Rotor-Signature: <redacted>") })
    }

    /// Every way an error is turned into text.
    private func describe(_ error: any Error) -> [String] {
        ["\(error)", String(reflecting: error), (error as? DeliveryError)?.message ?? "not a DeliveryError: \(error)"]
    }
}
