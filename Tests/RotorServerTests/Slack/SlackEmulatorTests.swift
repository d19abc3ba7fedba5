import Foundation
import RotorCore
import RotorHTTP
import RotorNotifiers
import RotorSandbox
import Testing

/// The sandbox's Slack Web API is as strict as Slack: token, channel, JSON and Block Kit are checked, errors are
/// `ok: false` with Slack's codes, and what Rotor posts (every kind with buttons) passes.
@Suite("Sandbox Slack emulator")
struct SlackEmulatorTests {
    static let token = "xoxb-emulator-token"

    func withSandbox(_ body: (Sandbox, String) async throws -> Void) async throws {
        let sandbox = Sandbox(world: SandboxWorld(slack: .init(botToken: Self.token, channels: ["C0SANDBOX01"])))
        let port = try await sandbox.start()
        do {
            try await body(sandbox, "http://127.0.0.1:\(port)/slack/api")
        } catch {
            await sandbox.stop()
            throw error
        }
        await sandbox.stop()
    }

    @Test func rotorsMessagesPassAndUpdatesAreRecorded() async throws {
        try await withSandbox { sandbox, api in
            let slack = SlackWebAPI(baseURL: api, botToken: SecretValue(Self.token), client: .shared)
            let kinds = [
                NotificationMessage(kind: "warning", subject: "db rotates soon", text: "…", fields: ["secret": "db-password"]),
                NotificationMessage(kind: "supply-request", subject: "needs a value", text: "open https://rotor.example.com/s/abc (works once)"),
                NotificationMessage(kind: "approval-request", subject: "approve", text: "rotation rot_0123456789abcdef waits"),
                NotificationMessage(kind: "failed", urgent: true, subject: "failed", text: "it failed", fields: ["secret": "db-password"]),
            ]
            var stamps: [String] = []
            for notification in kinds { stamps.append(try await slack.postMessage(channel: "C0SANDBOX01", SlackAppMessage(notification))) }
            #expect(Set(stamps).count == 4)
            try await slack.update(channel: "C0SANDBOX01", ts: stamps[0], SlackAppMessage(text: "db rotates soon", sections: ["done"]))
            let messages = await sandbox.slackMessages()
            #expect(messages.map(\.updates) == [1, 0, 0, 0])
            #expect(messages[0].blocks.contains("done"))
            #expect(messages[1].blocks.contains(#""url":"https://rotor.example.com/s/abc""#))
        }
    }

    @Test func refusalsUseSlacksCodes() async throws {
        try await withSandbox { (sandbox: Sandbox, api: String) async throws in
            let message = SlackAppMessage(text: "hello", sections: ["hello"])
            func failure(_ call: () async throws -> Void) async -> String {
                do {
                    try await call()
                    return "no error"
                } catch {
                    return "\(error)"
                }
            }
            let wrong = SlackWebAPI(baseURL: api, botToken: SecretValue("xoxb-wrong"), client: .shared)
            #expect(await failure { try await wrong.postMessage(channel: "C0SANDBOX01", message) }.contains("failed: invalid_auth."))
            let right = SlackWebAPI(baseURL: api, botToken: SecretValue(Self.token), client: .shared)
            #expect(await failure { try await right.postMessage(channel: "C0NOTTHERE1", message) }.contains("failed: channel_not_found."))
            #expect(await failure { try await right.update(channel: "C0SANDBOX01", ts: "1.000001", message) }.contains("message_not_found"))
            let empty = SlackAppMessage(text: "", sections: [])
            #expect(await failure { try await right.postMessage(channel: "C0SANDBOX01", empty) }.contains("no_text"))
            let badButton = SlackAppMessage(text: "x", sections: ["x"], buttons: [.init(label: String(repeating: "a", count: 80), action: "skip")])
            #expect(await failure { try await right.postMessage(channel: "C0SANDBOX01", badButton) }.contains("invalid_blocks"))

            // Without a token, or with a body that is not JSON.
            var bare = HTTPRequest(method: .POST, url: api + "/chat.postMessage", headers: ["Content-Type": "application/json"],
                                   body: Array(#"{"channel":"C0SANDBOX01","text":"x"}"#.utf8))
            bare.isIdempotent = false
            #expect(try await HTTPClient.shared.execute(bare).bodyText.contains(#""error":"not_authed""#))
            bare.headers.add(name: "Authorization", value: "Bearer \(Self.token)")
            bare.body = Array("{not json".utf8)
            #expect(try await HTTPClient.shared.execute(bare).bodyText.contains(#""error":"invalid_json""#))
            #expect(await sandbox.slackMessages().isEmpty)
        }
    }
}
