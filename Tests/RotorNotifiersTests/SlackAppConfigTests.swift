import Foundation
import RotorCore
import RotorNotifiers
import Testing

/// `type: slack-app` in rotor.yml, and the buttons each kind of message carries.
@Suite struct SlackAppConfigTests: ConfigProblemTests {
    @Test func slackAppChannelReadsItsReferencesChannelAndAPIURL() throws {
        let config = try RotorConfig.parse(file: "rotor.yml", text: """
            channels:
              security-slack: { type: slack-app, bot_token: env:SLACK_BOT_TOKEN, signing_secret: file:/run/secrets/slack-signing, channel: C0123456789 }
              sandbox-slack:  { type: slack-app, bot_token: env:B, signing_secret: env:S, channel: G0SANDBOX01, api_url: "http://127.0.0.1:8790/slack/api/" }
            """)
        #expect(config.channels["security-slack"] == .slackApp(SlackAppChannelConfig(
            botToken: try CredentialReference(parsing: "env:SLACK_BOT_TOKEN"),
            signingSecret: try CredentialReference(parsing: "file:/run/secrets/slack-signing"), channel: "C0123456789")))
        guard case .slackApp(let sandbox)? = config.channels["sandbox-slack"] else { Issue.record("not a slack-app channel"); return }
        #expect(sandbox.apiURL == "http://127.0.0.1:8790/slack/api")
        #expect(config.channels["security-slack"]?.type == "slack-app")
        guard case .slackApp(let real)? = config.channels["security-slack"] else { return }
        #expect(real.apiURL == "https://slack.com/api")
    }

    @Test func literalBotTokenAndSigningSecretAreRefusedWithoutBeingEchoed() {
        let text = """
            channels:
              chat: { type: slack-app, bot_token: "xoxb-1234-canary-token", signing_secret: "8f3canarysigning", channel: C0123456789 }
            """
        let problems = diagnostics(text)
        #expect(problems.map(\.message).contains { $0.hasPrefix("'bot_token' is the Slack bot token, so it must be a credential reference") })
        #expect(problems.map(\.message).contains { $0.hasPrefix("'signing_secret' is the Slack signing secret") })
        let all = error(text).description
        for canary in ["xoxb-1234", "8f3canary"] { #expect(!all.contains(canary), "\(all)") }
    }

    @Test func channelMustBeAnIDAndRequiredKeysAreEachReported() {
        let named = diagnostics("channels:\n  chat: { type: slack-app, bot_token: env:B, signing_secret: env:S, channel: \"#security\" }\n")
        #expect(named.count == 1)
        #expect(named.first?.message == "'#security' in 'channel' is not a Slack channel id")
        #expect(named.first?.hint?.contains("not the name") == true)
        let missing = diagnostics("channels:\n  chat: { type: slack-app }\n").map(\.message)
        #expect(missing.count == 3, "\(missing)")
        let badURL = diagnostics("channels:\n  chat: { type: slack-app, bot_token: env:B, signing_secret: env:S, channel: C0123456789, api_url: slack }\n")
        #expect(badURL.map(\.message) == ["'api_url' must be an absolute http or https URL"])
        let foreign = diagnostics("channels:\n  chat: { type: slack-app, bot_token: env:B, signing_secret: env:S, channel: C0123456789, url: env:U }\n")
        #expect(foreign.first?.message == "unknown key 'url' in channel 'chat' (type slack-app)")
    }

    @Test func warningsSupplyAndApprovalRequestsCarryTheirButtons() throws {
        func actions(_ message: SlackAppMessage) throws -> String {
            let data = try JSONEncoder().encode(message)
            return String(decoding: data, as: UTF8.self)
        }
        let warning = SlackAppMessage(NotificationMessage(kind: "warning", subject: "db rotates at 2026-06-01T00:00:00Z",
                                                          text: "…", fields: ["secret": "db-password"]))
        let warningJSON = try actions(warning)
        #expect(warning.blocks.last?.type == "actions")
        #expect(warningJSON.contains(#""action_id":"skip""#) && warningJSON.contains(#""action_id":"rotate_now""#))
        #expect(warningJSON.contains(#""value":"db-password""#))

        let supply = SlackAppMessage(NotificationMessage(kind: "supply-request", subject: "stripe-api-key needs a new value",
            text: "Hand it over by …:\n  • open https://rotor.example.com/s/AbC-123_x (works once)\n  • or run: rotor supply …",
            fields: ["secret": "stripe-api-key"]))
        let supplyJSON = try actions(supply)
        #expect(supplyJSON.contains(#""url":"https:\/\/rotor.example.com\/s\/AbC-123_x""#))
        #expect(supplyJSON.contains("Open supply page"))

        let approval = SlackAppMessage(NotificationMessage(kind: "approval-request", subject: "approve production",
            text: "stripe-api-key waits for approval before production (rotation rot_AbCdEfGhIj012345).", fields: [:]))
        let approvalJSON = try actions(approval)
        #expect(approvalJSON.contains(#""action_id":"approve""#) && approvalJSON.contains(#""value":"rot_AbCdEfGhIj012345""#))

        // Other messages, and a supply request without a link (no public_url), have no buttons.
        #expect(SlackAppMessage(NotificationMessage(kind: "completed", subject: "done", text: "")).blocks.allSatisfy { $0.type != "actions" })
        #expect(SlackAppMessage(NotificationMessage(kind: "supply-request", subject: "x", text: "run: rotor supply x"))
            .blocks.allSatisfy { $0.type != "actions" })
    }
}
