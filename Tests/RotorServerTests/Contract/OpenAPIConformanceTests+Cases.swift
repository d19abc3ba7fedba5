import Foundation
import RotorCore
import RotorHTTP
import RotorServer
import RotorTestSupport
import Testing

/// The cases of ``OpenAPIConformanceTests/everyDocumentedAnswerIsGivenByTheRunningServerAndMatchesItsSchema()``,
/// one world each.
extension OpenAPIConformanceTests {
    static func keys(_ probe: ContractProbe, _ world: ServerWorld) async throws {
        let verify = "/v1/keys/verify", claim = "/v1/keys/claim"
        let (record, old) = try await world.keyTable.create(org: "acme", name: "backend", scopes: ["read"], rateLimit: 100, actor: "tests")
        _ = try await world.keyTable.rotate(id: record.id, trigger: .schedule, actor: "scheduler", reason: "max_age", deliverByPickup: true)
        // In grace: the answer carries grace_ends_at, the one time of this route.
        let good = try await probe.call(.POST, verify, template: verify, headers: ContractProbe.json,
                                        json: #"{"key":"\#(old.revealed)"}"#, expect: 200)
        #expect(try JSONValue.parse(good.body)["grace_ends_at"] != nil)
        try await probe.call(.POST, verify, template: verify, headers: ContractProbe.json, json: #"{"key":"nope"}"#, expect: 200)
        try await probe.call(.POST, verify, template: verify, headers: ContractProbe.json, json: #"{"token":"x"}"#, expect: 400)
        try await probe.call(.POST, verify, template: verify, headers: ["Content-Type": "text/plain"], json: #"{"key":"nope"}"#, expect: 415)
        try await probe.call(.POST, verify, template: verify, body: Array(repeating: UInt8(ascii: "x"), count: 20_000), expect: 413)
        let claimed = try await probe.call(.POST, claim, template: claim, headers: ContractProbe.json,
                                           json: #"{"old_key":"\#(old.revealed)"}"#, expect: 200)
        #expect(!claimed.bodyText.contains(old.revealed))
        try await probe.call(.POST, claim, template: claim, headers: ContractProbe.json, json: #"{"old_key":"\#(old.revealed)"}"#, expect: 403)
        try await probe.call(.POST, claim, template: claim, headers: ContractProbe.json, json: #"{"key":"x"}"#, expect: 400)
        try await probe.call(.POST, claim, template: claim, headers: ["Content-Type": "application/x-www-form-urlencoded"],
                             json: "old_key=x", expect: 415)
        try await probe.call(.POST, claim, template: claim, body: Array(repeating: UInt8(ascii: "x"), count: 20_000), expect: 413)
    }

    static func emergency(_ probe: ContractProbe, metrics: Bool) async throws {
        let trigger = "/v1/secrets/{name}/emergency", status = "/v1/rotations/{id}"
        let uri = "/v1/secrets/openai-api-key/emergency"
        try await probe.call(.POST, uri, template: trigger, headers: ContractProbe.json, json: #"{"reason":"leak"}"#, expect: 401)
        try await probe.call(.POST, uri, template: trigger, headers: ContractProbe.admin, json: #"{"grace":"4h"}"#, expect: 400)
        try await probe.call(.POST, "/v1/secrets/no-such-secret/emergency", template: trigger, headers: ContractProbe.admin,
                             json: #"{"reason":"leak"}"#, expect: 404)
        try await probe.call(.POST, uri, template: trigger, headers: ["Authorization": "Bearer admin-token-for-tests", "Content-Type": "text/plain"],
                             json: #"{"reason":"leak"}"#, expect: 415)
        try await probe.call(.POST, uri, template: trigger, headers: ContractProbe.admin,
                             body: Array(repeating: UInt8(ascii: "x"), count: 20_000), expect: 413)
        let accepted = try await probe.call(.POST, uri, template: trigger, headers: ContractProbe.admin,
                                            json: #"{"reason":"key pasted in a public gist"}"#, expect: 202)
        let follow = try #require(try JSONValue.parse(accepted.body)["status_url"]?.string)
        try await eventually("the emergency rotation settles") {
            let answer = try await probe.client.execute(RotorHTTP.HTTPRequest(method: .GET, url: probe.base + follow, headers: ContractProbe.admin))
            guard answer.status == 200 else { return false }
            let state = try JSONValue.parse(answer.body)["state"]?.string ?? ""
            return ["grace", "completed", "rolled_back", "failed"].contains(state)
        }
        let settled = try await probe.call(.GET, follow, template: status, headers: ContractProbe.admin, expect: 200)
        #expect(try JSONValue.parse(settled.body)["grace_ends_at"] != nil)
        try await probe.head(follow, template: status, expect: 200)
        try await probe.call(.GET, follow, template: status, expect: 401)
        try await probe.call(.GET, "/v1/rotations/no-such-rotation", template: status, headers: ContractProbe.admin, expect: 404)
    }

    /// One failure allowed per window: past it, every route that checks the limit answers 429 with `Retry-After`.
    static func overTheLimit(_ probe: ContractProbe, _ world: ServerWorld, metrics: Bool) async throws {
        var limited = false
        for _ in 0..<5 where !limited {
            let request = RotorHTTP.HTTPRequest(method: .POST, url: probe.base + "/v1/keys/verify", body: Array(#"{"key":"nope"}"#.utf8))
            limited = try await probe.client.execute(request).status == 429
        }
        #expect(limited)
        try await probe.call(.POST, "/v1/keys/verify", template: "/v1/keys/verify", json: #"{"key":"nope"}"#, expect: 429)
        try await probe.call(.GET, "/r/not-a-token", template: "/r/{token}", expect: 429)
        try await probe.call(.POST, "/r/not-a-token", template: "/r/{token}", expect: 429)
        try await probe.call(.GET, "/s/not-a-token", template: "/s/{token}", expect: 429)
        try await probe.call(.POST, "/s/not-a-token", template: "/s/{token}", headers: sameOrigin,
                             body: supplyForm(world, value: "rk_test_x", token: "not-a-token"), expect: 429)
        let reply = #"{"code":"SKIPAAA2","text":"SKIP"}"#
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(reply), json: reply, expect: 429)
        try await probe.call(.POST, "/v1/secrets/openai-api-key/emergency", template: "/v1/secrets/{name}/emergency",
                             headers: ContractProbe.admin, json: #"{"reason":"leak"}"#, expect: 429)
        try await probe.call(.GET, "/v1/rotations/some-id", template: "/v1/rotations/{id}", headers: ContractProbe.admin, expect: 429)
        if metrics { try await probe.call(.GET, "/metrics", template: "/metrics", headers: ContractProbe.admin, expect: 429) }
        let click = SlackRequests.form(SlackRequests.payload(.init(action: "skip", value: "openai-api-key")))
        try await probe.call(.POST, "/v1/slack/interactions", template: "/v1/slack/interactions", headers: world.slackSigned(bytes: click),
                             body: click, expect: 429)
    }

    /// No admin token and no reply secret configured: those routes say they are disabled.
    static func disabled(_ probe: ContractProbe, metrics: Bool) async throws {
        try await probe.call(.POST, "/v1/secrets/openai-api-key/emergency", template: "/v1/secrets/{name}/emergency",
                             headers: ContractProbe.admin, json: #"{"reason":"leak"}"#, expect: 503)
        try await probe.call(.GET, "/v1/rotations/some-id", template: "/v1/rotations/{id}", headers: ContractProbe.admin, expect: 503)
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: ContractProbe.json,
                             json: #"{"code":"SKIPAAA2","text":"SKIP"}"#, expect: 503)
        if metrics { try await probe.call(.GET, "/metrics", template: "/metrics", headers: ContractProbe.admin, expect: 503) }
        let click = SlackRequests.form(SlackRequests.payload(.init(action: "skip", value: "openai-api-key")))
        try await probe.call(.POST, "/v1/slack/interactions", template: "/v1/slack/interactions",
                             headers: SlackRequests.curlHeaders(click, timestamp: 1_780_000_000), body: click, expect: 503)
    }

    /// The store closed under the server: every route that needs it answers 500 (503 for health and readiness).
    static func storeGone(_ probe: ContractProbe, _ world: ServerWorld) async throws {
        let (_, key) = try await world.keyTable.create(org: "acme", name: "backend", scopes: [], rateLimit: nil, actor: "tests")
        let token = try await world.issue()
        let reply = #"{"code":"SKIPAAA2","text":"SKIP"}"#
        await world.store.close()
        try await probe.call(.GET, "/healthz", template: "/healthz", expect: 503)
        let readiness = try await probe.call(.GET, "/readyz", template: "/readyz", expect: 503)
        #expect(try JSONValue.parse(readiness.body)["check"]?.string == "store")
        try await probe.call(.GET, "/r/\(token)", template: "/r/{token}", expect: 500)
        try await probe.call(.POST, "/r/\(token)", template: "/r/{token}", expect: 500)
        try await probe.call(.GET, "/s/\(token)", template: "/s/{token}", expect: 500)
        try await probe.call(.POST, "/s/\(token)", template: "/s/{token}", headers: sameOrigin,
                             body: supplyForm(world, value: "rk_test_x", token: token), expect: 500)
        try await probe.call(.POST, "/v1/replies", template: "/v1/replies", headers: world.signed(reply), json: reply, expect: 500)
        try await probe.call(.POST, "/v1/secrets/openai-api-key/emergency", template: "/v1/secrets/{name}/emergency",
                             headers: ContractProbe.admin, json: #"{"reason":"leak"}"#, expect: 500)
        try await probe.call(.GET, "/v1/rotations/some-id", template: "/v1/rotations/{id}", headers: ContractProbe.admin, expect: 500)
        let click = SlackRequests.form(SlackRequests.payload(.init(action: "skip", value: "openai-api-key")))
        try await probe.call(.POST, "/v1/slack/interactions", template: "/v1/slack/interactions", headers: world.slackSigned(bytes: click),
                             body: click, expect: 500)
        // Verify answers from the in-memory key index, store or no store; 500 remains documented for a server
        // without an index (a library use of the service) and cannot be produced here.
        try await probe.call(.POST, "/v1/keys/verify", template: "/v1/keys/verify", headers: ContractProbe.json,
                             json: #"{"key":"\#(key.revealed)"}"#, expect: 200)
        try await probe.call(.POST, "/v1/keys/claim", template: "/v1/keys/claim", headers: ContractProbe.json,
                             json: #"{"old_key":"\#(key.revealed)"}"#, expect: 500)
    }

    /// Slack's button clicks, signed as Slack signs them: acted on, refused by signature, channel, secret, type or size.
    static func slack(_ probe: ContractProbe, _ world: ServerWorld) async throws {
        let route = "/v1/slack/interactions"
        func click(_ action: String, _ value: String?, channel: String = ServerWorld.slackChannel) -> [UInt8] {
            SlackRequests.form(SlackRequests.payload(.init(action: action, value: value, channel: channel)))
        }
        let skip = click("skip", "openai-api-key")
        try await probe.call(.POST, route, template: route, headers: world.slackSigned(bytes: skip), body: skip, expect: 200)
        // The same request again is a replay.
        try await probe.call(.POST, route, template: route, headers: world.slackSigned(bytes: skip), body: skip, expect: 401)
        let forged = click("rotate_now", "openai-api-key")
        try await probe.call(.POST, route, template: route,
                             headers: SlackRequests.curlHeaders(forged, timestamp: Int(world.clock.now.timeIntervalSince1970), secret: "guessed"),
                             body: forged, expect: 401)
        let elsewhere = click("skip", "openai-api-key", channel: "C0ELSEWHERE1")
        try await probe.call(.POST, route, template: route, headers: world.slackSigned(bytes: elsewhere), body: elsewhere, expect: 403)
        let unknown = click("skip", "no-such-secret")
        try await probe.call(.POST, route, template: route, headers: world.slackSigned(bytes: unknown), body: unknown, expect: 404)
        let garbled = Array("payload=%7B%22type%22%3A".utf8)
        try await probe.call(.POST, route, template: route, headers: world.slackSigned(bytes: garbled), body: garbled, expect: 400)
        var json = world.slackSigned(bytes: skip)
        json.replaceOrAdd(name: "Content-Type", value: "application/json")
        try await probe.call(.POST, route, template: route, headers: json, body: skip, expect: 415)
        let huge = Array("payload=".utf8) + Array(repeating: UInt8(ascii: "a"), count: 70 * 1024)
        try await probe.call(.POST, route, template: route, headers: world.slackSigned(bytes: huge), body: huge, expect: 413)
    }
}
