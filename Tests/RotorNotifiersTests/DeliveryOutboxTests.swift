import Foundation
import RotorCore
import RotorHTTP
import RotorNotifiers
import RotorTestSupport
import Testing

/// `OutboxDelivery` end to end: outbox rows in a real SQLite store, delivered through libcurl to a
/// real SMTP server (aiosmtpd) and to loopback Slack and webhook receivers that verify signatures.
@Suite struct DeliveryOutboxTests {
    let hookSecret = "delivery-hook-secret-0123456789"
    let smtpPassword = "delivery-smtp-password"
    let slackPath = "/services/T0001/B0002/slacktoken"
    let hookPath = "/hooks/rotor"

    /// A receiver at `hookPath` that answers 204 to a valid signature (checked against the real
    /// clock, as a real receiver does) and 401 to anything else.
    func verifyingReceiver(secret: String) throws -> TestHTTPServer {
        let server = try TestHTTPServer()
        let key = Array(secret.utf8)
        server.route(hookPath) { request in
            let valid = WebhookSignature.verify(
                secret: key, timestamp: request.headers[WebhookSignature.timestampHeader] ?? "",
                body: request.body, signature: request.headers[WebhookSignature.signatureHeader] ?? "", now: Date())
            return valid ? TestHTTPResponse(status: 204) : .text("bad signature", status: 401)
        }
        return server
    }

    func configuration(smtp: SMTPTestServer, http: TestHTTPServer) -> String {
        """
        channels:
          security-slack: { type: slack, url: env:SLACK_WEBHOOK_URL }
          oncall-email:   { type: email, smtp: "\(smtp.url)", username: rotor, password: env:SMTP_PASSWORD, from: rotor@example.com,
                            to: [oncall@example.com], ca_file: "\(smtp.certificateFile ?? "")", require_tls: true }
          hooks:          { type: webhook, url: "\(http.url(hookPath))", signing_secret: env:HOOK_SECRET }
          customers:      { type: outbox }
        """
    }

    func environment(http: TestHTTPServer) -> [String: String] {
        ["SLACK_WEBHOOK_URL": http.url(slackPath), "SMTP_PASSWORD": smtpPassword, "HOOK_SECRET": hookSecret]
    }

    @Test func warningsReachEveryChannelExactlyOnceAcrossPassesAndConcurrentDeliverers() async throws {
        let smtp = try await SMTPTestServer.start(.startTLS, login: ("rotor", smtpPassword))
        defer { smtp.stop() }
        let http = try verifyingReceiver(secret: hookSecret)
        defer { http.stop() }
        http.route(slackPath, .text("ok"))
        let world = try await DeliveryWorld(configuration: configuration(smtp: smtp, http: http), environment: environment(http: http))
        let secrets = ["openai-api-key", "stripe-key", "db-password"]
        var rows: [NotificationRecord] = []
        for secret in secrets {
            rows += try await world.enqueueWarning(secret: secret, channels: ["security-slack", "oncall-email", "hooks", "customers"],
                                                   urgent: secret == "stripe-key")
        }

        // Two deliverers with small batches race through the outbox until neither finds work.
        let policy = DeliveryPolicy(concurrency: 2)
        let first = world.delivery(owner: "daemon-a", policy: policy)
        let second = world.delivery(owner: "daemon-b", policy: policy)
        async let a = Self.drain(first)
        async let b = Self.drain(second)
        let reports = await a + b
        #expect(reports.map(\.sent).reduce(0, +) == rows.count)
        #expect(reports.allSatisfy { $0.retried == 0 && $0.failed == 0 && $0.errors.isEmpty }, "\(reports)")
        // Another pass of each finds nothing left.
        #expect(await first.deliverDue().isEmpty)
        #expect(await second.deliverDue().isEmpty)

        let stored = try await world.rows()
        #expect(stored.count == rows.count)
        #expect(stored.allSatisfy { $0.status == .sent && $0.attempts == 1 && $0.lastError == nil && $0.sentAt != nil })

        let ids = { (channel: String) in Set(rows.filter { $0.channel == channel }.map(\.id)) }
        // Webhook: every delivery signed (the receiver refused nothing), once per row, with the row id.
        let hooks = http.requests(to: hookPath)
        #expect(hooks.count == secrets.count)
        #expect(Set(hooks.compactMap { $0.headers[WebhookTransport.deliveryHeader] }) == ids("hooks"))
        // Slack: once per row.
        let slack = http.requests(to: slackPath)
        #expect(slack.count == secrets.count)
        let slackTexts = slack.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(slackTexts.filter { $0.contains("URGENT") }.count == 1)
        // E-mail: once per row, through STARTTLS with the login, urgent marked once (not twice).
        let mails = try smtp.messages()
        #expect(mails.count == secrets.count)
        #expect(Set(mails.compactMap { $0.header("Message-ID") }).count == secrets.count)
        #expect(mails.allSatisfy { $0.tls && $0.authenticatedAs == "rotor" && $0.rcptTos == ["oncall@example.com"] })
        #expect(Set(mails.map(\.subject)) == ["openai-api-key rotates in 7 days", "[URGENT] stripe-key rotates in 7 days",
                                              "db-password rotates in 7 days"])
        #expect(mails.allSatisfy { $0.body?.contains("Nothing needs doing.") == true })
        await world.close()
    }

    @Test func serverErrorIsRetriedLaterWithBackoffAndDeliveredOnALaterPass() async throws {
        let http = try TestHTTPServer()
        defer { http.stop() }
        http.route(hookPath, .text("down for maintenance", status: 500), TestHTTPResponse(status: 204))
        let world = try await DeliveryWorld(configuration: """
            channels:
              hooks: { type: webhook, url: "\(http.url(hookPath))", signing_secret: env:HOOK_SECRET }
            """, environment: ["HOOK_SECRET": hookSecret])
        let row = try #require(try await world.enqueueWarning(channels: ["hooks"]).first)
        let delivery = world.delivery(owner: "daemon-a")
        let start = world.clock.now

        let first = await delivery.deliverDue()
        #expect(first.retried == 1 && first.sent == 0 && first.failed == 0)
        #expect(first.errors.count == 1 && first.errors[0].contains("HTTP 500"), "\(first.errors)")
        let waiting = try #require(try await world.row(row.id))
        #expect(waiting.status == .pending)
        #expect(waiting.attempts == 1)
        #expect(waiting.lastError?.hasPrefix("attempt 1 of 8 failed: Webhook delivery to http://127.0.0.1:") == true, "\(waiting.lastError ?? "")")
        // Backoff: about a minute (base 60 s, up to 20 % jitter taken off), not at once.
        let wait = waiting.nextAttemptAt.timeIntervalSince(start)
        #expect(wait >= 47.9 && wait <= 60.1, "next attempt in \(wait) s")

        // Not retried before its time.
        world.clock.advance(by: 30)
        #expect(await delivery.deliverDue().isEmpty)
        #expect(http.requests(to: hookPath).count == 1)

        world.clock.advance(by: 31)
        let later = await delivery.deliverDue()
        #expect(later == DeliveryReport(sent: 1))
        let sent = try #require(try await world.row(row.id))
        #expect(sent.status == .sent && sent.attempts == 2 && sent.lastError == nil)
        let requests = http.requests(to: hookPath)
        #expect(requests.count == 2)
        #expect(requests.allSatisfy { $0.headers[WebhookTransport.deliveryHeader] == row.id }, "the retry carries the same id")
        await world.close()
    }

    @Test func badRequestGivesUpAtOnce() async throws {
        let http = try TestHTTPServer()
        defer { http.stop() }
        http.route(hookPath, .text("unknown event kind", status: 400))
        let world = try await DeliveryWorld(configuration: """
            channels:
              hooks: { type: webhook, url: "\(http.url(hookPath))", signing_secret: env:HOOK_SECRET }
            """, environment: ["HOOK_SECRET": hookSecret])
        let row = try #require(try await world.enqueueWarning(channels: ["hooks"]).first)
        let delivery = world.delivery(owner: "daemon-a")

        let report = await delivery.deliverDue()
        #expect(report.failed == 1 && report.retried == 0 && report.sent == 0)
        let failed = try #require(try await world.row(row.id))
        #expect(failed.status == .failed)
        #expect(failed.lastError?.hasPrefix("gave up (permanent failure): Webhook delivery") == true)
        #expect(failed.lastError?.contains("HTTP 400 (unknown event kind)") == true, "\(failed.lastError ?? "")")
        #expect(world.logs.all.contains { $0.hasPrefix("error notification given up") && $0.contains("notify.id=\(row.id)") })

        world.clock.advance(by: 86_400 * 30)
        #expect(await delivery.deliverDue().isEmpty, "a given-up notification is never tried again")
        #expect(http.requests(to: hookPath).count == 1)
        await world.close()
    }

    @Test func retryableFailuresGiveUpAfterMaxAttempts() async throws {
        let http = try TestHTTPServer()
        defer { http.stop() }
        http.route(slackPath, .text("unavailable", status: 503))
        let world = try await DeliveryWorld(configuration: "channels:\n  chat: { type: slack, url: env:SLACK }\n",
                                            environment: ["SLACK": http.url(slackPath)])
        let row = try #require(try await world.enqueueWarning(channels: ["chat"]).first)
        let delivery = world.delivery(owner: "daemon-a", policy: DeliveryPolicy(maxAttempts: 3, baseDelay: .seconds(10)))

        #expect(await delivery.deliverDue().retried == 1)
        world.clock.advance(by: 10)
        #expect(await delivery.deliverDue().retried == 1)
        world.clock.advance(by: 20)
        let last = await delivery.deliverDue()
        #expect(last.failed == 1 && last.retried == 0)
        let failed = try #require(try await world.row(row.id))
        #expect(failed.status == .failed && failed.attempts == 3)
        #expect(failed.lastError?.hasPrefix("gave up after 3 attempts: Slack webhook delivery") == true, "\(failed.lastError ?? "")")
        #expect(http.requests(to: slackPath).count == 3)
        await world.close()
    }

    @Test func outboxChannelIsMarkedSentWithoutAnyNetwork() async throws {
        let world = try await DeliveryWorld(configuration: "channels:\n  customers: { type: outbox }\n")
        let row = try #require(try await world.enqueueWarning(channels: ["customers"], org: "acme").first)
        let report = await world.delivery(owner: "daemon-a").deliverDue()
        #expect(report == DeliveryReport(sent: 1))
        let inbox = try await world.store.transaction { try $0.notifications(org: "acme", secretName: nil, limit: 10) }
        #expect(inbox.map(\.id) == [row.id])
        #expect(inbox.first?.status == .sent && inbox.first?.sentAt == world.clock.now)
        // The HTTP client logs every transfer at trace level; it logged nothing.
        #expect(!world.logs.all.contains { $0.contains("http.") || $0.contains("curl") }, "\(world.logs.all)")
        await world.close()
    }

    @Test func unknownChannelGivesUpAtOnceWithAClearError() async throws {
        let world = try await DeliveryWorld(configuration: "channels:\n  customers: { type: outbox }\n")
        let row = try #require(try await world.enqueueWarning(channels: ["security-slack"]).first)
        let report = await world.delivery(owner: "daemon-a").deliverDue()
        #expect(report.failed == 1)
        let failed = try #require(try await world.row(row.id))
        #expect(failed.status == .failed)
        #expect(failed.lastError == "gave up (permanent failure): channel 'security-slack' is not defined (rotor.yml defines customers); "
                + "define it under channels: in rotor.yml or remove it from the playbook's notify:")
        await world.close()
    }

    @Test func unreadableCredentialIsRetriedAndNamesTheReference() async throws {
        let world = try await DeliveryWorld(configuration: "channels:\n  chat: { type: slack, url: env:SLACK_WEBHOOK_URL }\n")
        let row = try #require(try await world.enqueueWarning(channels: ["chat"]).first)
        let report = await world.delivery(owner: "daemon-a").deliverDue()
        #expect(report.retried == 1)
        let waiting = try #require(try await world.row(row.id))
        #expect(waiting.status == .pending)
        #expect(waiting.lastError?.contains("channel 'chat' (slack): its credential could not be read: env:SLACK_WEBHOOK_URL is not set") == true,
                "\(waiting.lastError ?? "")")
        await world.close()
    }

    @Test func rowsClaimedByADeadProcessAreDeliveredByAnotherAfterTheLeaseExpires() async throws {
        let http = try verifyingReceiver(secret: hookSecret)
        defer { http.stop() }
        let world = try await DeliveryWorld(configuration: """
            channels:
              hooks: { type: webhook, url: "\(http.url(hookPath))", signing_secret: env:HOOK_SECRET }
            """, environment: ["HOOK_SECRET": hookSecret])
        var rows: [NotificationRecord] = []
        for secret in ["openai-api-key", "stripe-key"] { rows += try await world.enqueueWarning(secret: secret, channels: ["hooks"]) }

        // A daemon claims the rows and dies before delivering or marking anything.
        let now = world.clock.now
        let lease = DeliveryPolicy().lease
        let claimed = try await world.store.transaction {
            try $0.claimNotifications(now: now, owner: "dead-daemon", leaseUntil: now.addingTimeInterval(300), limit: 10)
        }
        #expect(claimed.count == 2)
        #expect(lease == .seconds(300))

        let survivor = world.delivery(owner: "survivor")
        world.clock.advance(by: 299)
        #expect(await survivor.deliverDue().isEmpty, "the lease still holds")
        #expect(http.requests(to: hookPath).isEmpty)

        world.clock.advance(by: 2)
        #expect(await survivor.deliverDue() == DeliveryReport(sent: 2))
        let stored = try await world.rows()
        #expect(stored.allSatisfy { $0.status == .sent && $0.attempts == 2 })
        #expect(Set(http.requests(to: hookPath).compactMap { $0.headers[WebhookTransport.deliveryHeader] }) == Set(rows.map(\.id)))
        #expect(http.requests(to: hookPath).count == 2)
        await world.close()
    }

    @Test func plantedChannelSecretsNeverReachLogsOrLastError() async throws {
        let slackCanary = "slackcanary7f3e91"
        let hookCanary = "hook-canary-secret-55aa"
        let passwordCanary = "smtp-canary-pw-c0ffee"
        let smtp = try await SMTPTestServer.start(.startTLS, login: ("rotor", "the-real-password"))
        defer { smtp.stop() }
        let http = try verifyingReceiver(secret: "receiver-expects-another-secret")
        defer { http.stop() }
        let slackPath = "/services/T0001/B0002/\(slackCanary)"
        // Slack echoes its URL back in an error body, first as a retryable then as a permanent failure.
        http.route(slackPath, .text("upstream \(slackCanary) down", status: 502), .text("no_service \(slackCanary)", status: 404))
        let secretFiles = try TemporaryDirectory()
        let hookSecretFile = secretFiles.file("hook-secret")
        try (hookCanary + "\n").write(toFile: hookSecretFile, atomically: true, encoding: .utf8)
        let world = try await DeliveryWorld(configuration: """
            channels:
              chat:  { type: slack, url: env:SLACK }
              mail:  { type: email, smtp: "\(smtp.url)", username: rotor, password: env:SMTP_PASSWORD, from: rotor@example.com,
                       to: [oncall@example.com], ca_file: "\(smtp.certificateFile ?? "")" }
              hooks: { type: webhook, url: "\(http.url(hookPath))", signing_secret: file:\(hookSecretFile) }
            """, environment: ["SLACK": http.url(slackPath), "SMTP_PASSWORD": passwordCanary])
        try await world.enqueueWarning(channels: ["chat", "mail", "hooks"], urgent: true)
        let delivery = world.delivery(owner: "daemon-a")

        var reports = [await delivery.deliverDue()]
        world.clock.advance(by: 3600)
        reports.append(await delivery.deliverDue())
        let stored = try await world.rows()
        #expect(stored.allSatisfy { $0.status == .failed }, "\(stored.map { ($0.channel, $0.status, $0.lastError ?? "") })")
        #expect(http.requests(to: slackPath).count == 2, "the Slack token really travelled")
        #expect(http.requests(to: hookPath).count == 1, "the signed webhook really went out")

        let texts = world.logs.all + stored.compactMap(\.lastError) + reports.flatMap(\.errors) + reports.map { "\($0)" }
        #expect(world.logs.all.contains { $0.contains("notification given up") })
        for text in texts {
            for canary in [slackCanary, hookCanary, passwordCanary, Data(passwordCanary.utf8).base64EncodedString()] {
                #expect(!text.contains(canary), "leaked: \(text)")
            }
            #expect(!text.contains("T0001"), "leaked part of the Slack path: \(text)")
        }
        await world.close()
        secretFiles.remove()
    }

    // MARK: - Helpers

    /// Runs passes of `delivery` in small batches until one finds nothing due. A delivery that keeps finding
    /// work (the same rows claimed again and again) fails the test instead of hanging it.
    static func drain(_ delivery: OutboxDelivery, sourceLocation: SourceLocation = #_sourceLocation) async -> [DeliveryReport] {
        var reports: [DeliveryReport] = []
        for _ in 0..<1_000 {
            let report = await delivery.deliverDue(limit: 3)
            if report.isEmpty { return reports }
            reports.append(report)
        }
        Issue.record("the outbox was still not drained after 1000 passes", sourceLocation: sourceLocation)
        return reports
    }
}
