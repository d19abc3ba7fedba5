import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorSandbox
import RotorServer
import RotorTestSupport
import Synchronization
import Testing

/// Slack buttons end to end: the scheduler's warning posted by a `slack-app` channel to the sandbox's Slack, clicks
/// sent as Slack sends them, and the message updated with the outcome; on SQLite and PostgreSQL.
@Suite("Slack buttons", .serialized)
struct SlackButtonTests {
    typealias Backend = SlackWorld.Backend
    let route = "/v1/slack/interactions"

    @Test(arguments: Backend.allCases)
    func aWarningCarriesSkipAndRotateNowAndAClickSkipsAsTheSlackUser(_ backend: Backend) async throws {
        let world = try await SlackWorld.make(backend)
        let report = try await world.warn()
        #expect(report.sent == 1, "\(report.errors)")
        let posted = try await world.postedMessage()
        #expect(posted.channel == SlackWorld.channel)
        #expect(posted.text == "openai-api-key rotates at 2026-06-27T20:26:40Z")
        #expect(posted.blocks.contains(#""action_id":"skip""#) && posted.blocks.contains(#""action_id":"rotate_now""#))
        #expect(posted.blocks.contains(#""value":"openai-api-key""#))
        let due = try await world.secretRecord.nextRotationAt
        try await world.test { client in
            let click = world.click("skip", value: "openai-api-key", on: posted)
            let answer = try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(answer.text.isEmpty)
            #expect(try await world.secretRecord.nextRotationAt == due?.addingTimeInterval(30 * SlackWorld.day))
            let skipped = try await world.audit("secret.skipped")
            #expect(skipped.map(\.actor) == ["slack:U024BE7LH (amy.mcgee)"])
            #expect(skipped.first?.detail?.hasPrefix("via slack") == true)

            // The message now says who postponed it and to when, and its buttons are gone.
            let updated = try await world.postedMessage()
            #expect(updated.updates == 1)
            #expect(updated.blocks.contains("<@U024BE7LH> postponed the rotation"))
            #expect(updated.blocks.contains("postponed to 2026-07-27T20:26:40Z"))
            #expect(!updated.blocks.contains("action_id"))

            // The same request again (a captured click replayed within its five minutes) is refused and changes nothing.
            let replay = try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body)
            #expect(replay.status == .unauthorized)
            #expect(replay.text.contains("replayed request"))
            var shouted = click.headers
            let name = HTTPFields.Element.Name("X-Slack-Signature")!
            shouted[name] = "v0=" + (shouted[name] ?? "").dropFirst(3).uppercased()
            #expect(try await client.execute(uri: route, method: .post, headers: shouted, body: click.body).status == .unauthorized)
            #expect(try await world.audit("secret.skipped").count == 1)
            #expect(try await world.postedMessage().updates == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func badSignaturesOldTimestampsAndGarbledPayloadsAreRefused(_ backend: Backend) async throws {
        let world = try await SlackWorld.make(backend)
        _ = try await world.warn()
        let posted = try await world.postedMessage()
        let before = try await world.secretRecord
        try await world.test { client in
            let now = Int(world.clock.now.timeIntervalSince1970)
            let forged = world.click("skip", value: "openai-api-key", on: posted, secret: "not-the-signing-secret")
            #expect(try await client.execute(uri: route, method: .post, headers: forged.headers, body: forged.body).status == .unauthorized)
            // Signed with the right secret but more than five minutes ago (or ahead), by the server's clock.
            for stale in [now - 301, now + 301] {
                let old = world.click("skip", value: "openai-api-key", on: posted, timestamp: stale)
                let answer = try await client.execute(uri: route, method: .post, headers: old.headers, body: old.body)
                #expect(answer.status == .unauthorized)
                #expect(answer.text.contains("5 minutes"))
            }
            // A valid signature over another body: the body was changed after signing.
            var tampered = world.click("skip", value: "openai-api-key", on: posted)
            let other = world.click("rotate_now", value: "openai-api-key", on: posted)
            tampered.body = other.body
            #expect(try await client.execute(uri: route, method: .post, headers: tampered.headers, body: tampered.body).status == .unauthorized)
            var unsigned = world.click("skip", value: "openai-api-key", on: posted).headers
            unsigned[HTTPFields.Element.Name("X-Slack-Signature")!] = nil
            #expect(try await client.execute(uri: route, method: .post, headers: unsigned, body: other.body).status == .unauthorized)
            for garbage in ["payload=%7B%22type%22", "payload=", "nothing=1", "payload=%7B%22type%22%3A%22view_submission%22%7D",
                            "payload=\(String(repeating: "%5B", count: 5000))", "%FF%FE=%00"] {
                let body = Array(garbage.utf8)
                let answer = try await client.execute(uri: route, method: .post,
                                                      headers: SlackRequests.headers(body, timestamp: now), body: ByteBuffer(bytes: body))
                #expect(answer.status == .badRequest, "\(garbage.prefix(40)): \(answer.status)")
            }
            #expect(try await world.secretRecord == before)
            #expect(try await world.audit("secret.skipped").isEmpty)
            #expect(try await world.postedMessage().updates == 0)
            try await world.service.flushRefusalAudit()
            let refused = try await world.audit("slack.refused")
            #expect(!refused.isEmpty)
            #expect(refused.allSatisfy { $0.actor == "slack" })
        }
    }

    @Test(arguments: Backend.allCases)
    func rotateNowStartsAManualRotationAndTheMessageTellsHowItEnded(_ backend: Backend) async throws {
        let world = try await SlackWorld.make(backend)
        _ = try await world.warn()
        let posted = try await world.postedMessage()
        try await world.test { client in
            let click = world.click("rotate_now", value: "openai-api-key", on: posted)
            #expect(try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body).status == .ok)
            await world.service.settleSlackFollowUps()
            let rotations = try await world.app.store.transaction { try $0.rotations(secretName: "openai-api-key") }
            #expect(rotations.count == 1)
            let rotation = try #require(rotations.first)
            #expect(rotation.trigger == .manual)
            #expect(rotation.actor == "slack:U024BE7LH (amy.mcgee)")
            #expect(rotation.state == .grace)
            #expect(try await world.audit("rotation.started").map(\.actor) == ["slack:U024BE7LH (amy.mcgee)"])
            let updated = try await world.postedMessage()
            #expect(updated.updates == 2)
            #expect(updated.blocks.contains("Rotation \(rotation.id) of openai-api-key (started by <@U024BE7LH>) reached grace"))

            // A second click (a second later: the same request again would be a replay) while that rotation is in
            // grace starts nothing, and says so.
            world.clock.advance(by: 1)
            let again = world.click("rotate_now", value: "openai-api-key", on: posted)
            #expect(try await client.execute(uri: route, method: .post, headers: again.headers, body: again.body).status == .ok)
            await world.service.settleSlackFollowUps()
            #expect(try await world.app.store.transaction { try $0.rotations(secretName: "openai-api-key") }.count == 1)
            #expect(try await world.postedMessage().blocks.contains("rotation \(rotation.id) is already grace"))
        }
    }

    @Test func approveGoesToTheApprovalHandlerWhichByDefaultSaysApprovalsAreNotAvailable() async throws {
        let world = try await SlackWorld.make(.sqlite)
        _ = try await world.warn()
        let posted = try await world.postedMessage()
        try await world.test { client in
            let click = world.click("approve", value: "rot_0123456789abcdef", on: posted)
            #expect(try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body).status == .ok)
            let refused = try await world.postedMessage()
            #expect(refused.blocks.contains("could not approve rotation rot_0123456789abcdef: approvals are not available on this server"))
            // The button stays, for when approvals are available.
            #expect(refused.blocks.contains(#""action_id":"approve""#))
        }
        let approvals = ApprovalLog()
        let approving = try await SlackWorld.make(.sqlite, approvals: ApprovalHandler { id, actor in
            approvals.record(id, actor)
            return "production goes ahead"
        })
        _ = try await approving.warn()
        let message = try await approving.postedMessage()
        try await approving.test { (client: any TestClientProtocol) async throws in
            let click = approving.click("approve", value: "rot_0123456789abcdef", on: message)
            #expect(try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body).status == .ok)
            #expect(approvals.calls == ["rot_0123456789abcdef by slack:U024BE7LH (amy.mcgee)"])
            #expect(try await approving.postedMessage().blocks.contains("approved rotation rot_0123456789abcdef: production goes ahead"))
        }
    }

    @Test(arguments: Backend.allCases)
    func postMessageFailuresAreReportedClearlyAndTheTokenAndSecretNeverShow(_ backend: Backend) async throws {
        let wrongToken = "xoxb-canary-WRONG-token-8Kd1"
        let world = try await SlackWorld.make(backend, configuredToken: wrongToken)
        let report = try await world.warn()
        #expect(report.sent == 0 && report.failed == 1)
        let row = try #require(try await world.notifications().first { $0.kind == "warning" })
        #expect(row.status == .failed)
        let error = try #require(row.lastError)
        #expect(error.contains("gave up (permanent failure): Slack chat.postMessage to channel C0SANDBOX01 failed: invalid_auth."))
        #expect(error.contains("check what bot_token refers to"))
        #expect(await world.sandbox.slackMessages().isEmpty)
        let canaries = [wrongToken, SlackWorld.botToken, SlackWorld.signingSecret]
        let texts = world.logs.all + report.errors + [error] + (try await world.allAudit()).map { "\($0)" }
        for canary in canaries {
            #expect(!texts.contains { $0.contains(canary) }, "\(canary.prefix(10))… leaked")
        }
        await world.cleanup()

        let elsewhere = try await SlackWorld.make(backend, configuredChannel: "C0UNKNOWN01")
        let missing = try await elsewhere.warn()
        #expect(missing.failed == 1)
        #expect(missing.errors.first?.contains("failed: channel_not_found. Check the channel id in rotor.yml") == true)
        await elsewhere.cleanup()

        let throttled = try await SlackWorld.make(backend)
        await throttled.sandbox.throttleSlack(calls: 1)
        let limited = try await throttled.warn()
        #expect(limited.retried == 1)
        #expect(limited.errors.first?.contains("ratelimited. Slack is throttling the app; it asks to retry after 1 seconds") == true)
        await throttled.cleanup()
    }

    @Test(arguments: Backend.allCases)
    func theBotTokenAndSigningSecretAppearInNoAnswerLogAuditRowOrMessage(_ backend: Backend) async throws {
        let world = try await SlackWorld.make(backend)
        _ = try await world.warn()
        let posted = try await world.postedMessage()
        try await world.test { client in
            var answers: [String] = []
            for (action, secret) in [("skip", SlackWorld.signingSecret), ("rotate_now", "wrong"), ("rotate_now", SlackWorld.signingSecret),
                                     ("approve", SlackWorld.signingSecret)] {
                let click = world.click(action, value: action == "approve" ? "rot_0123456789abcdef" : "openai-api-key", on: posted,
                                        secret: secret)
                answers.append(try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body).text)
            }
            await world.service.settleSlackFollowUps()
            try await world.service.flushRefusalAudit()
            let texts = answers + world.logs.all + (try await world.allAudit()).map { "\($0)" }
                + (try await world.notifications()).map { "\($0.body) \($0.lastError ?? "")" }
                + (await world.sandbox.slackMessages()).map { "\($0.text) \($0.blocks)" }
            #expect(world.logs.all.contains { $0.contains("chat.update") || $0.contains("slack api call succeeded") })
            for canary in [SlackWorld.botToken, SlackWorld.signingSecret, ServerWorld.importedValue] {
                #expect(!texts.contains { $0.contains(canary) }, "\(canary.prefix(10))… leaked")
            }
        }
    }
}

/// The approvals a test handler was asked for.
final class ApprovalLog: Sendable {
    private let entries = Mutex<[String]>([])
    func record(_ id: String, _ actor: String) { entries.withLock { $0.append("\(id) by \(actor)") } }
    var calls: [String] { entries.withLock { $0 } }
}
