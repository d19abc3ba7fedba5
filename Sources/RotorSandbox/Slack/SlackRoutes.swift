import Foundation
import Hummingbird

/// Slack's Web API, as much as a `slack-app` channel uses: `POST /slack/api/chat.postMessage` and
/// `POST /slack/api/chat.update` (a channel's `api_url` is `http://127.0.0.1:PORT/slack/api`).
///
/// Strict like Slack: the bot token in `Authorization: Bearer` (`not_authed` without one, `invalid_auth` for another),
/// a JSON body (`invalid_json`), a channel the bot is in (`channel_not_found`), text or valid blocks (`no_text`,
/// `invalid_blocks`). Errors are HTTP 200 with `{"ok": false, "error": …}`; throttled calls are 429 with `Retry-After`.
/// `GET /_sandbox/slack/messages` lists what was posted (never the token); `POST /_sandbox/slack/ratelimit`
/// `{"calls": N}` throttles the next N calls.
struct SlackRoutes {
    let store: SandboxStore

    func register<Context: RequestContext>(on router: Router<Context>) {
        let store = self.store
        router.post("slack/api/chat.postMessage") { request, context in
            try await Self.call(request, context: context, store: store) { state, body, now throws(SlackError) in
                let message = try state.post(channel: body["channel"]?.stringValue, body: body, now: now)
                return ["ok": true, "channel": .string(message.channel), "ts": .string(message.ts),
                        "message": ["type": "message", "text": .string(message.text), "blocks": message.blocks, "ts": .string(message.ts)]]
            }
        }
        router.post("slack/api/chat.update") { request, context in
            try await Self.call(request, context: context, store: store) { state, body, _ throws(SlackError) in
                let message = try state.update(channel: body["channel"]?.stringValue, ts: body["ts"]?.stringValue, body: body)
                return ["ok": true, "channel": .string(message.channel), "ts": .string(message.ts), "text": .string(message.text)]
            }
        }
        router.get("_sandbox/slack/messages") { _, _ in
            Response.json(["messages": .array(await store.withSlack { state, _ in state.messages.map(\.json) })])
        }
        router.post("_sandbox/slack/ratelimit") { request, context in
            let body = try await AdminRoutes.requireObject(request, context: context)
            guard let calls = body["calls"]?.intValue, (0...100).contains(calls) else {
                throw APIFailure.plain(400, "bad_request", "calls must be a whole number from 0 to 100")
            }
            await store.withSlack { state, _ in state.throttledCalls = calls }
            return Response.json(["calls": .int(calls)])
        }
    }

    private static func call<Context: RequestContext>(
        _ request: Request, context: Context, store: SandboxStore,
        _ body: @escaping @Sendable (inout SlackState, JSONValue, Date) throws(SlackError) -> JSONValue
    ) async throws -> Response {
        let token = request.bearerToken
        let parsed: JSONValue?
        if let type = request.headers[.contentType], type.lowercased().hasPrefix("application/json") {
            parsed = try? await request.jsonBody(context: context, malformed: APIFailure(status: .ok, body: nil))
        } else {
            parsed = nil
        }
        let answer: JSONValue = await store.withSlack { state, now in
            if state.throttledCalls > 0 {
                state.throttledCalls -= 1
                return ["ok": false, "error": "ratelimited", "retry_after": 1]
            }
            guard let token else { return failure("not_authed") }
            guard token == state.botToken else { return failure("invalid_auth") }
            guard let parsed, case .object = parsed else { return failure("invalid_json") }
            do throws(SlackError) {
                return try body(&state, parsed, now)
            } catch {
                return failure(error.code)
            }
        }
        if answer["retry_after"] != nil {
            return Response.json(answer.removing("retry_after"), status: .tooManyRequests, headers: [("Retry-After", "1")])
        }
        return Response.json(answer)
    }

    private static func failure(_ code: String) -> JSONValue { ["ok": false, "error": .string(code)] }
}
