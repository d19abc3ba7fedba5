import Foundation
import RotorCore
import RotorCrypto
import RotorNotifiers
import RotorTestSupport
import Testing

/// Alerts through the `rotor` binary, on SQLite and PostgreSQL: a failure reaches the playbook's Slack channel
/// and rotor.yml's `alerts:` channels (a real SMTP server, a signed webhook) exactly once, says what Rotor did and
/// the command that fixes it, reminds while unresolved, and never carries a secret value.
@Suite("Alerts end to end", .serialized)
struct AlertsEndToEndTests {
    static let slackPath = "/services/T0001/B0002/alerts"
    static let hookPath = "/hooks/rotor"
    static let hookSecret = "alerts-hook-secret-0123456789"

    /// The receivers and the world, with rotor.yml naming them and the playbook notifying Slack.
    struct Setup {
        let world: World
        let smtp: SMTPTestServer
        let http: TestHTTPServer
        let env: [String: String]

        static func make(_ backend: Backend, slack: TestHTTPResponse = .text("ok"), playbook: String = "") async throws -> Setup {
            let world = try await World.make(backend)
            let smtp = try await SMTPTestServer.start(.plain)
            let http = try TestHTTPServer()
            http.route(slackPath) { _ in slack }
            let key = Array(hookSecret.utf8)
            http.route(hookPath) { request in
                let valid = WebhookSignature.verify(
                    secret: key, timestamp: request.headers[WebhookSignature.timestampHeader] ?? "", body: request.body,
                    signature: request.headers[WebhookSignature.signatureHeader] ?? "", now: Date())
                return valid ? TestHTTPResponse(status: 204) : .text("bad signature", status: 401)
            }
            let config = """
                channels:
                  security-slack: { type: slack, url: env:SLACK_WEBHOOK_URL }
                  oncall-email:   { type: email, smtp: "\(smtp.url)", from: rotor@example.com, to: [oncall@example.com], require_tls: false }
                  hooks:          { type: webhook, url: "\(http.url(hookPath))", signing_secret: env:HOOK_SECRET }
                alerts: { channels: [oncall-email, hooks], remind_every: 24h }
                """
            try config.write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            try world.writePlaybook(grace: "1h", notify: ["security-slack"], extra: playbook)
            return Setup(world: world, smtp: smtp, http: http,
                         env: ["SLACK_WEBHOOK_URL": http.url(slackPath), "HOOK_SECRET": hookSecret])
        }

        func close() async {
            smtp.stop()
            http.stop()
            await world.close()
        }

        @discardableResult
        func run(_ arguments: [String], stdin: String? = nil) async throws -> RotorProcess.Result {
            try await world.run(arguments, stdin: stdin, env: env)
        }

        /// The Slack posts, with JSON's escaped slashes undone for reading.
        var slack: [String] {
            http.requests(to: slackPath).map { String(decoding: $0.body, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/") }
        }
        var hooks: [[String: Any]] {
            http.requests(to: hookPath).compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
        }
        func mails() throws -> [ReceivedMail] { try smtp.messages() }

        /// Every byte any channel received, and every outbox row, holds none of `values`.
        func expectNoValue(_ values: [String]) async throws {
            let bodies = http.requests(to: slackPath).map(\.body) + http.requests(to: hookPath).map(\.body)
            let texts = bodies.map { String(decoding: $0, as: UTF8.self) } + (try mails()).map(\.raw)
            let rows = try await world.withStore { tx, _ in try tx.notifications(org: nil, secretName: nil, limit: 1000) }
            let stored = rows.flatMap { [$0.subject, $0.body, $0.event ?? ""] }
            for value in values {
                #expect(!(texts + stored).contains { $0.contains(value) }, "a secret value reached an alert")
            }
        }
    }

    static func canary(_ tag: String) -> String { "e2e_canary_\(tag)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "") }

    @Test(arguments: Backend.allCases)
    func aCheckThatFailsForeverGivesOneRolledBackAlertOnSlackEmailAndWebhook(_ backend: Backend) async throws {
        let setup = try await Setup.make(backend)
        try await withCleanup({ await setup.close() }) {
            let old = try await setup.world.initialise(currentValue: Self.canary("old"))
            let new = Self.canary("new")
            try new.write(toFile: setup.world.nextValueFile, atomically: true, encoding: .utf8)
            try setup.world.setAppDown(true)

            let rotated = try await setup.run(["rotate", "app-token"])
            #expect(rotated.status == 1, "\(rotated)")
            for _ in 0..<2 { try await setup.run(["tick"]) }

            // Slack: the playbook's channel, once.
            let slack = setup.slack
            try #require(slack.count == 1, "\(slack)")
            #expect(slack[0].contains("rolled back"))
            #expect(slack[0].contains("every target holds the previous key"))
            #expect(slack[0].contains("rotor rotate app-token"))
            #expect(slack[0].contains("\"blocks\""))
            // E-mail: rotor.yml's alert channel, once, plain text.
            let mails = try setup.mails()
            try #require(mails.count == 1, "\(mails.map(\.subject))")
            #expect(mails[0].subject.contains("[URGENT]"))
            #expect(mails[0].subject.contains("rolled back"))
            let body = mails[0].body ?? ""
            #expect(body.contains("What Rotor did: every target holds the previous key"))
            #expect(body.contains("the new key") && body.contains("is revoked"))
            #expect(body.contains("To fix: fix the cause above, then run `rotor rotate app-token`"))
            #expect(mails[0].header("Content-Type")?.contains("text/plain") == true)
            // Webhook: signed, with the stable type.
            let hooks = setup.hooks
            try #require(hooks.count == 1)
            #expect(hooks[0]["type"] as? String == "rotation.rolled_back")
            let event = try #require(hooks[0]["event"] as? [String: Any])
            #expect(event["secret"] as? String == "app-token")
            #expect(event["state"] as? String == "rolled_back")
            #expect((event["old"] as? [String: Any])?["last4"] as? String == String(old.suffix(4)))
            #expect((event["new"] as? [String: Any])?["last4"] as? String == String(new.suffix(4)))
            #expect((event["fix"] as? String)?.contains("rotor rotate app-token") == true)
            try await setup.expectNoValue([old, new])
        }
    }

    @Test(arguments: Backend.allCases)
    func aStalledRevokeAlertsOnceAndRemindsAfterRemindEvery(_ backend: Backend) async throws {
        let setup = try await Setup.make(backend)
        try await withCleanup({ await setup.close() }) {
            let old = try await setup.world.initialise(currentValue: Self.canary("old"))
            let new = Self.canary("new")
            try new.write(toFile: setup.world.nextValueFile, atomically: true, encoding: .utf8)
            let rotated = try await setup.run(["rotate", "app-token"])
            #expect(rotated.status == 0, "\(rotated)")
            try setup.world.setVendorRefusesRevoke(true)

            let start = Date()
            func at(hours: Double) -> String { ISO8601.string(start.addingTimeInterval(hours * 3600)) }
            try await setup.run(["tick", "--now", at(hours: 2)])
            try await setup.run(["tick", "--now", at(hours: 3)])
            var mails = try setup.mails()
            try #require(mails.count == 1, "\(mails.map(\.subject))")
            #expect(mails[0].subject.contains("revoke stalled"))
            #expect(mails[0].body?.contains("still works at its source") == true)
            #expect(mails[0].body?.contains("rotor tick") == true)
            #expect(setup.hooks.map { $0["type"] as? String } == ["rotation.revoke_stalled"])

            // Still unresolved a day later: one reminder, on the same channels; not again within the next day.
            try await setup.run(["tick", "--now", at(hours: 27)])
            try await setup.run(["tick", "--now", at(hours: 30)])
            mails = try setup.mails()
            try #require(mails.count == 2, "\(mails.map(\.subject))")
            #expect(mails[1].subject.contains("Reminder:"))
            #expect(mails[1].subject.contains("revoke stalled"))
            let hooks = setup.hooks
            #expect(hooks.count == 2)
            #expect((hooks.last?["event"] as? [String: Any])?["reminder"] as? Bool == true)
            #expect(setup.slack.count == 2)
            try await setup.expectNoValue([old, new])
        }
    }

    @Test(arguments: Backend.allCases)
    func aFailedUndoAlertNamesWhatEachTargetHolds(_ backend: Backend) async throws {
        let setup = try await Setup.make(backend)
        try await withCleanup({ await setup.close() }) {
            let old = try await setup.world.initialise(currentValue: Self.canary("old"))
            let new = Self.canary("new")
            try new.write(toFile: setup.world.nextValueFile, atomically: true, encoding: .utf8)
            try setup.world.setAppDown(true)
            // The check fails and the process dies right after; then the target cannot be written back.
            let crashed = try await setup.world.run(["rotate", "app-token"],
                                                    env: setup.env.merging(["ROTOR_FAULT": "crash-after:verify:0"]) { $1 })
            #expect(crashed.status == 137, "\(crashed)")
            try FileManager.default.removeItem(atPath: setup.world.envFile)
            try FileManager.default.createDirectory(atPath: setup.world.envFile, withIntermediateDirectories: false)

            let tick = try await setup.run(["tick"])
            #expect(tick.status == 0 || tick.status == 1, "\(tick)")
            let state = try await setup.world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first?.state }
            try #require(state == .failed)
            try await setup.run(["tick"])

            let mails = try setup.mails()
            try #require(mails.count == 1, "\(mails.map(\.subject))")
            let body = mails[0].body ?? ""
            #expect(mails[0].subject.contains("FAILED"))
            #expect(body.contains("file \(setup.world.envFile)") || body.contains("app.env"), "\(body)")
            #expect(body.contains("(undo failed)"))
            #expect(body.contains(String(new.suffix(4))), "names the key the target holds by its last 4")
            #expect(setup.hooks.map { $0["type"] as? String } == ["rotation.failed"])
            let targets = (setup.hooks.first?["event"] as? [String: Any])?["targets"] as? [String] ?? []
            #expect(targets.count == 1 && targets[0].contains("(undo failed)"))
            #expect(setup.slack.count == 1)
            try await setup.expectNoValue([old, new])
        }
    }

    @Test func validateRefusesAnUnknownAlertChannelAtItsLine() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let config = """
                channels:
                  oncall-email: { type: email, smtp: "smtp://127.0.0.1:25", from: rotor@example.com, to: [oncall@example.com] }
                alerts: { channels: [oncall-emial], remind_every: 24h }
                """
            try config.write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            let result = try await world.run(["validate"])
            #expect(result.status != 0)
            let output = result.stdout + result.stderr
            #expect(output.contains("rotor.yml:3:"), "\(output)")
            #expect(output.contains("unknown channel 'oncall-emial' in alerts.channels"))
            #expect(output.contains("did you mean 'oncall-email'?"))
        }
    }

    @Test(arguments: Backend.allCases)
    func aMessageGivenUpOnItsChannelAlertsTheOtherAlertChannels(_ backend: Backend) async throws {
        // Slack refuses the webhook for good (a revoked URL): the rolled-back alert to it is given up at once.
        let setup = try await Setup.make(backend, slack: .text("no_service", status: 404))
        try await withCleanup({ await setup.close() }) {
            _ = try await setup.world.initialise()
            try setup.world.setAppDown(true)
            try await setup.run(["rotate", "app-token"])
            for _ in 0..<3 { try await setup.run(["tick"]) }

            #expect(setup.slack.count == 1)
            let types = setup.hooks.compactMap { $0["type"] as? String }
            #expect(types.sorted() == ["notification.given_up", "rotation.rolled_back"])
            let mails = try setup.mails()
            let givenUp = try #require(mails.first { $0.subject.contains("given up") })
            #expect(givenUp.body?.contains("security-slack") == true)
            #expect(givenUp.body?.contains("check channel 'security-slack' in rotor.yml") == true)
            #expect(mails.count == 2)
        }
    }

    @Test(arguments: Backend.allCases)
    func emergencyStartedAndFinishedAndABlockedRotationAreAnnounced(_ backend: Backend) async throws {
        let setup = try await Setup.make(backend)
        try await withCleanup({ await setup.close() }) {
            _ = try await setup.world.initialise()
            let emergency = try await setup.run(["emergency", "app-token", "--reason", "pasted in a public issue"])
            #expect(emergency.status == 0, "\(emergency)")
            // The emergency rotation is in its grace: another rotation is refused, and that is announced too.
            let second = try await setup.run(["rotate", "app-token"])
            #expect(second.status != 0)
            try await setup.run(["tick"])

            let subjects = try setup.mails().map(\.subject)
            #expect(subjects.count == 3, "\(subjects)")
            #expect(subjects.contains { $0.contains("EMERGENCY rotation started") })
            #expect(subjects.contains { $0.contains("emergency rotation finished") })
            #expect(subjects.contains { $0.contains("rotation blocked by another rotation") })
            let types = Set(setup.hooks.compactMap { $0["type"] as? String })
            #expect(types == ["emergency.started", "emergency.finished", "rotation.blocked"])
            let started = try #require(try setup.mails().first { $0.subject.contains("EMERGENCY") })
            #expect(started.body?.contains("pasted in a public issue") == true)
        }
    }

    @Test(arguments: Backend.allCases)
    func complianceOverdueAlertsOncePerDay(_ backend: Backend) async throws {
        let setup = try await Setup.make(backend, playbook: "policy: { max_age: 30d }")
        try await withCleanup({ await setup.close() }) {
            _ = try await setup.world.initialise()
            let start = Date()
            func at(days: Double) -> String { ISO8601.string(start.addingTimeInterval(days * 86_400)) }
            try await setup.run(["tick", "--now", at(days: 20)])
            #expect(try setup.mails().isEmpty)
            try await setup.run(["tick", "--now", at(days: 31)])
            try await setup.run(["tick", "--now", at(days: 31)])
            #expect(try setup.mails().count == 1)
            try await setup.run(["tick", "--now", at(days: 32.5)])
            let mails = try setup.mails()
            #expect(mails.count == 2)
            #expect(mails.allSatisfy { $0.subject.contains("older than its max_age") })
            #expect(mails.first?.body?.contains("rotor rotate app-token") == true)
            #expect(Set(setup.hooks.compactMap { $0["type"] as? String }) == ["compliance.overdue"])
        }
    }

    @Test(arguments: Backend.allCases)
    func notifyOnLifecycleMessagesNameTargetsAndTheNextRotation(_ backend: Backend) async throws {
        let setup = try await Setup.make(backend, playbook: "notify_on: [started, completed, revoked]")
        try await withCleanup({ await setup.close() }) {
            _ = try await setup.world.initialise()
            let rotated = try await setup.run(["rotate", "app-token"])
            #expect(rotated.status == 0, "\(rotated)")
            try await setup.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(2 * 3600))])

            let slack = setup.slack
            #expect(slack.count == 4, "\(slack.map { $0.prefix(60) })")
            #expect(slack.contains { $0.contains("rotation started") })
            #expect(slack.contains { $0.contains("updating targets 1/1") })
            let completed = try #require(slack.first { $0.contains("rotated, new key live") })
            #expect(completed.contains(setup.world.envFile))
            #expect(completed.contains("is revoked at "))
            #expect(slack.contains { $0.contains("old key revoked") })
            // Lifecycle messages are for the playbook's channels only: the on-call e-mail stays quiet.
            #expect(try setup.mails().isEmpty)
        }
    }
}
