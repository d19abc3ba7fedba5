import Foundation
import Hummingbird
import Logging
import RotorCore
import RotorCrypto
import RotorHTTP
import RotorNotifiers
import RotorServer

/// Interaction requests built the way Slack builds them: the `block_actions` payload as JSON, percent-encoded into
/// the form field `payload`, and signed with the app's signing secret as "Verifying requests from Slack" describes
/// (`v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}`). Written out here rather than taken from the server's
/// code, so that a mistake there cannot hide in both.
enum SlackRequests {
    struct Click {
        var action: String
        var value: String?
        var channel = ServerWorld.slackChannel
        var ts = "1780000000.000100"
        var text = "openai-api-key rotates at 2026-05-28T20:26:40Z"
        var userID = "U024BE7LH"
        var userName = "amy.mcgee"
    }

    /// The payload Slack sends when `click.action`'s button is clicked on the message `click.ts`.
    static func payload(_ click: Click) -> String {
        var action: [String: Any] = [
            "action_id": click.action, "block_id": "rotor_actions", "type": "button", "action_ts": "1780000123.840180",
            "text": ["type": "plain_text", "text": "Skip", "emoji": true],
        ]
        if let value = click.value { action["value"] = value }
        let payload: [String: Any] = [
            "type": "block_actions",
            "user": ["id": click.userID, "username": click.userName, "name": click.userName, "team_id": "T9TK3CUKW"],
            "api_app_id": "A0KRD7HC3", "token": "9s8d9as89d8as9d8as989", "trigger_id": "12466734323.1395872398.abc",
            "team": ["id": "T9TK3CUKW", "domain": "example"],
            "container": ["type": "message", "message_ts": click.ts, "channel_id": click.channel, "is_ephemeral": false],
            "channel": ["id": click.channel, "name": "security"],
            "message": ["type": "message", "user": "U0BOTUSER", "bot_id": "B0BOTID", "ts": click.ts, "text": click.text,
                        "blocks": [["type": "section", "block_id": "a1", "text": ["type": "mrkdwn", "text": click.text]]]],
            "state": ["values": [:] as [String: Any]],
            "response_url": "https://hooks.slack.com/actions/T9TK3CUKW/1234567890/abcdefghijkl",
            "actions": [action],
        ]
        let data = try! JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// `payload=<percent-encoded JSON>`, as Slack posts it.
    static func form(_ payload: String) -> [UInt8] {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return Array(("payload=" + payload.addingPercentEncoding(withAllowedCharacters: unreserved)!).utf8)
    }

    /// Slack's signature of `body` at `timestamp` under `secret`.
    static func signature(_ body: [UInt8], timestamp: Int, secret: String) -> String {
        "v0=" + Hex.encode(HMACSHA256.authenticate(key: Array(secret.utf8), message: Array("v0:\(timestamp):".utf8) + body))
    }

    /// The headers Slack sends with `body`, signed at `timestamp`.
    static func headers(_ body: [UInt8], timestamp: Int, secret: String = ServerWorld.slackSigningSecret) -> HTTPFields {
        [HTTPFields.Element.Name("X-Slack-Request-Timestamp")!: String(timestamp),
         HTTPFields.Element.Name("X-Slack-Signature")!: signature(body, timestamp: timestamp, secret: secret),
         .contentType: "application/x-www-form-urlencoded"]
    }

    /// The same headers for libcurl.
    static func curlHeaders(_ body: [UInt8], timestamp: Int, secret: String = ServerWorld.slackSigningSecret) -> HTTPHeaders {
        ["X-Slack-Request-Timestamp": String(timestamp), "X-Slack-Signature": signature(body, timestamp: timestamp, secret: secret),
         "Content-Type": "application/x-www-form-urlencoded"]
    }

    /// The `slack-app` channel of ``ServerWorld``: clicks are accepted, and the updates after them go nowhere (nothing
    /// listens on port 9 of the loopback).
    static func unreachableApp(logger: Logger) -> SlackAppEndpoint {
        let api = SlackWebAPI(baseURL: "http://127.0.0.1:9/api", botToken: SecretValue("xoxb-unreachable"), client: .shared, logger: logger)
        return SlackAppEndpoint(name: "security-slack", channel: ServerWorld.slackChannel,
                                signingSecret: SecretValue(ServerWorld.slackSigningSecret), api: api)
    }
}

extension ServerWorld {
    /// Slack's headers for `body`, signed now (by the world's clock), for libcurl.
    func slackSigned(bytes: [UInt8]) -> HTTPHeaders {
        SlackRequests.curlHeaders(bytes, timestamp: Int(clock.now.timeIntervalSince1970))
    }
}
