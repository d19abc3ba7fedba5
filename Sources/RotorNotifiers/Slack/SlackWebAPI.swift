import Foundation
import Logging
import RotorCore
import RotorHTTP

/// The two Slack Web API methods a `slack-app` channel uses: `chat.postMessage` and `chat.update`.
///
/// Slack answers most failures with HTTP 200 and `{"ok": false, "error": "invalid_auth"}`; a throttled call gets
/// 429 with `Retry-After` (and `"error": "ratelimited"`). Both become a `DeliveryError` that names the method, the
/// channel id and Slack's error code, with what to fix. The bot token goes only into the `Authorization` header and
/// is handed to the HTTP client as a secret to redact; it never appears in an error or a log line.
public struct SlackWebAPI: Sendable {
    private let baseURL: String
    private let botToken: SecretValue
    private let client: HTTPClient
    private let logger: Logger

    /// A client of the Web API at `baseURL` (`https://slack.com/api`, or the sandbox's) acting as the bot of `botToken`.
    public init(baseURL: String, botToken: SecretValue, client: HTTPClient, logger: Logger = Logger(label: "rotor.notify")) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.botToken = botToken
        self.client = client
        self.logger = logger
    }

    /// Posts `message` to `channel`; returns the message's `ts`, which `update` needs.
    @discardableResult
    public func postMessage(channel: String, _ message: SlackAppMessage, timeout: Duration = .seconds(30)) async throws -> String {
        try await call("chat.postMessage", Body(channel: channel, ts: nil, message: message), channel: channel, timeout: timeout)
    }

    /// Replaces the message `ts` in `channel` with `message` (its buttons go unless `message` has them again).
    public func update(channel: String, ts: String, _ message: SlackAppMessage, timeout: Duration = .seconds(30)) async throws {
        _ = try await call("chat.update", Body(channel: channel, ts: ts, message: message), channel: channel, timeout: timeout)
    }

    private struct Body: Encodable {
        var channel: String
        var ts: String?
        var message: SlackAppMessage

        enum CodingKeys: String, CodingKey { case channel, ts, text, blocks }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(channel, forKey: .channel)
            try container.encodeIfPresent(ts, forKey: .ts)
            try container.encode(message.text, forKey: .text)
            try container.encode(message.blocks, forKey: .blocks)
        }
    }

    private struct Answer: Decodable {
        var ok: Bool
        var error: String?
        var ts: String?
    }

    private func call(_ method: String, _ body: Body, channel: String, timeout: Duration) async throws -> String {
        let what = "Slack \(method) to channel \(channel)"
        var request: HTTPRequest
        do {
            request = try HTTPRequest.json(.POST, "\(baseURL)/\(method)", body,
                                           headers: ["Content-Type": "application/json; charset=utf-8"])
        } catch {
            throw DeliveryError(channel: "slack-app", retryable: false, message: "\(what): the message could not be encoded as JSON: \(error)")
        }
        request.headers.add(name: "Authorization", value: "Bearer \(botToken.revealed)")
        request.secrets.append(botToken.revealed)
        request.timeout = timeout
        request.connectTimeout = min(timeout, .seconds(10))
        let response: HTTPResponse
        do {
            response = try await client.execute(request)
        } catch let error as HTTPClientError {
            throw DeliveryError(channel: "slack-app", retryable: error.isRetryable, message: "\(what) failed: \(error)")
        }
        let retryAfter = response.headers["Retry-After"].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body))
        if response.status == 200, let answer, answer.ok {
            logger.info("slack api call succeeded", metadata: ["slack.method": "\(method)", "slack.channel": "\(channel)"])
            return answer.ts ?? ""
        }
        let code = answer?.error.flatMap(Self.safeCode) ?? (response.status == 429 ? "ratelimited" : "HTTP \(response.status)")
        let retryable = response.status == 429 || response.status >= 500 || Self.retryableCodes.contains(code)
        let failure = DeliveryError(channel: "slack-app", retryable: retryable,
                                    message: "\(what) failed: \(code). \(Self.advice(code, retryAfter: retryAfter))",
                                    status: response.status)
        logger.warning("slack api call failed", metadata: ["slack.method": "\(method)", "slack.error": "\(failure)"])
        throw failure
    }

    static let retryableCodes: Set<String> = ["ratelimited", "rate_limited", "internal_error", "fatal_error",
                                              "service_unavailable", "request_timeout"]

    /// Slack's error codes are short snake_case words; anything else in the field is not repeated.
    static func safeCode(_ text: String) -> String? {
        guard !text.isEmpty, text.count <= 64,
              text.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else { return nil }
        return text
    }

    /// What to do about Slack's error `code`.
    static func advice(_ code: String, retryAfter: Int?) -> String {
        switch code {
        case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired":
            "The bot token was refused: check what bot_token refers to (a bot token starts with xoxb-) and that the app is still installed"
        case "channel_not_found":
            "Check the channel id in rotor.yml (C…, not the channel's name) and that the app can see the channel"
        case "not_in_channel":
            "Invite the app to the channel (/invite @your-app) or give it the chat:write.public scope"
        case "is_archived":
            "The channel is archived: unarchive it or point the channel at another one"
        case "missing_scope":
            "Add the chat:write scope to the app and reinstall it"
        case "message_not_found", "cant_update_message":
            "The message to update is gone or was not posted by this app"
        case "ratelimited", "rate_limited":
            "Slack is throttling the app" + (retryAfter.map { "; it asks to retry after \($0) seconds" } ?? "") + "; Rotor retries later"
        default:
            retryableCodes.contains(code) ? "Slack had a problem; Rotor retries later" : "See Slack's documentation of this error"
        }
    }
}
