import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorTestSupport
import Testing

/// `POST /v1/secrets/{name}/emergency`: the real runner rotates through in-memory providers.
@Suite("Emergency endpoint")
struct EmergencyTests {
    let admin: HTTPFields = [.authorization: "Bearer admin-token-for-tests", .contentType: "application/json"]
    let uri = "/v1/secrets/openai-api-key/emergency"

    /// Triggers, expects 202 with the rotation to follow, and follows its status URL until it settles.
    func trigger(_ client: any TestClientProtocol, body: String,
                 until settledStates: Set<String> = ["grace", "completed", "rolled_back", "failed"]) async throws
        -> (accepted: TestResponse, settled: TestResponse) {
        let accepted = try await client.execute(uri: uri, method: .post, headers: admin, body: ByteBuffer(string: body))
        #expect(accepted.status == .accepted, "\(accepted.text)")
        let answer = try ServerWorld.decode(accepted)
        let id = try #require(answer["rotation_id"] as? String)
        let statusURL = try #require(answer["status_url"] as? String)
        #expect(statusURL == "/v1/rotations/\(id)")
        var settled: TestResponse?
        try await eventually("the emergency rotation settles") {
            let status = try await client.execute(uri: statusURL, method: .get, headers: admin)
            guard status.status == .ok, let state = try ServerWorld.decode(status)["state"] as? String,
                  settledStates.contains(state) else { return false }
            settled = status
            return true
        }
        return (accepted, try #require(settled))
    }

    @Test func rotatesNowWithTheEmergencyGraceAndAnswersWithoutTheValue() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let body = #"{"reason":"key pasted in a public gist"}"#
            let (accepted, response) = try await trigger(client, body: body)
            #expect(accepted.headers[.cacheControl] == "no-store")
            #expect(response.headers[.cacheControl] == "no-store")
            let answer = try ServerWorld.decode(response)
            #expect(answer["state"] as? String == "grace")
            #expect(answer["trigger"] as? String == "emergency")
            #expect(answer["grace_ends_at"] as? String == world.clock.now.addingTimeInterval(4 * 3600).iso)
            let newValue = try #require(world.providers.targetValue)
            #expect(world.providers.minted == [newValue])
            let new = try #require(answer["new_version"] as? [String: Any])
            #expect(new["fingerprint"] as? String == SecretValue(newValue).fingerprint)
            #expect(new["last4"] as? String == String(newValue.suffix(4)))
            #expect((answer["old_version"] as? [String: Any])?["last4"] as? String == "q7Zt")
            #expect(!response.text.contains(newValue))
            #expect(!response.text.contains(ServerWorld.importedValue))
            let rotationID = try #require(answer["rotation_id"] as? String)
            let started = try await world.audit("rotation.started")
            #expect(started.first?.trigger == "emergency")
            #expect(started.first?.reason == "key pasted in a public gist")
            #expect(started.first?.actor == "admin-api")

            // A second trigger while the first is in grace takes over: the old value is revoked now.
            let (again, revoked) = try await trigger(client, body: body, until: ["completed", "failed"])
            #expect(try ServerWorld.decode(again)["rotation_id"] as? String == rotationID)
            #expect(try ServerWorld.decode(revoked)["state"] as? String == "completed")
            #expect(world.providers.revoked == [ServerWorld.importedValue])
        }
    }

    @Test func anEmergencyDuringGraceRevokesTheOldValueNowAndAlertsThePlaybooksChannels() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let rotated = try await world.runner.rotate(world.playbook, .init(trigger: .manual, actor: "tests"))
            #expect(rotated.rotation.state == .grace)
            let (accepted, settled) = try await trigger(client, body: #"{"reason":"old key seen in a log"}"#, until: ["completed", "failed"])
            #expect(try ServerWorld.decode(accepted)["rotation_id"] as? String == rotated.rotation.id)
            #expect(try ServerWorld.decode(settled)["state"] as? String == "completed")
            #expect(world.providers.revoked == [ServerWorld.importedValue], "revoked at the source without waiting for grace")
            let alerts = try await world.store.transaction { try $0.notifications(org: nil, secretName: ServerWorld.secret, limit: 10) }
            #expect(alerts.contains { $0.urgent && $0.kind == "emergency" && $0.channel == "security-slack" })
            #expect(!alerts.contains { $0.body.contains(ServerWorld.importedValue) })
        }
    }

    @Test func anEmergencyOnASecretNeverImportedIsRefusedWithAHint() async throws {
        let world = try await ServerWorld.make(imported: false)
        try await world.test { client in
            let response = try await client.execute(uri: uri, method: .post, headers: admin, body: ByteBuffer(string: #"{"reason":"leak"}"#))
            #expect(response.status == .conflict)
            #expect(((try ServerWorld.decode(response)["hint"] as? String) ?? "").contains("rotor import openai-api-key"))
            #expect(world.providers.minted.isEmpty)
        }
    }

    @Test func theStatusRouteNeedsTheAdminTokenAndKnowsOnlyRealRotations() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let rotated = try await world.runner.rotate(world.playbook, .init(trigger: .manual, actor: "tests"))
            let uri = "/v1/rotations/\(rotated.rotation.id)"
            #expect(try await client.execute(uri: uri, method: .get).status == .unauthorized)
            let status = try await client.execute(uri: uri, method: .get, headers: admin)
            #expect(status.status == .ok)
            #expect(try ServerWorld.decode(status)["state"] as? String == "grace")
            let newValue = try #require(world.providers.targetValue)
            #expect(!status.text.contains(newValue) && !status.text.contains(ServerWorld.importedValue))
            #expect(try await client.execute(uri: "/v1/rotations/rot_nope", method: .get, headers: admin).status == .notFound)
        }
    }

    @Test func revokeImmediatelyCompletesAndRevokesTheOldValue() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let body = #"{"reason":"leak","grace":"1h","revoke_immediately":true}"#
            let (_, response) = try await trigger(client, body: body)
            #expect(try ServerWorld.decode(response)["state"] as? String == "completed")
            #expect(world.providers.revoked == [ServerWorld.importedValue])
        }
    }

    @Test func refusesWithoutTheAdminToken() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            let body = ByteBuffer(string: #"{"reason":"leak"}"#)
            let missing = try await client.execute(uri: uri, method: .post, body: body)
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer admin-token-for-testz"], body: body)
            #expect(wrong.status == .unauthorized)
            let basic = try await client.execute(uri: uri, method: .post, headers: [.authorization: "Basic YWRtaW46eA=="], body: body)
            #expect(basic.status == .unauthorized)
            // Unauthenticated callers cannot tell a known secret from an unknown one.
            #expect(try await client.execute(uri: "/v1/secrets/nope/emergency", method: .post, body: body).status == .unauthorized)
            #expect(world.providers.minted.isEmpty)
            #expect(try await world.audit("rotation.started").isEmpty)
        }
    }

    @Test func isDisabledWhenNoAdminTokenIsConfigured() async throws {
        let world = try await ServerWorld.make(adminToken: nil)
        try await world.test { client in
            let response = try await client.execute(uri: uri, method: .post, headers: admin, body: ByteBuffer(string: #"{"reason":"leak"}"#))
            #expect(response.status == .serviceUnavailable)
            #expect(try ServerWorld.decode(response)["error"] as? String == "emergency endpoint disabled")
            #expect(world.providers.minted.isEmpty)
        }
    }

    @Test func refusesAMissingReasonABadGraceAndAnUnknownSecret() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            for body in [#"{}"#, #"{"reason":"  "}"#, ""] {
                let response = try await client.execute(uri: uri, method: .post, headers: admin, body: ByteBuffer(string: body))
                #expect(response.status == .badRequest)
                #expect(try ServerWorld.decode(response)["error"] as? String == "a reason is required")
            }
            #expect(try await client.execute(uri: uri, method: .post, headers: admin,
                                             body: ByteBuffer(string: #"{"reason":"x","grace":"soon"}"#)).status == .badRequest)
            let unknown = try await client.execute(uri: "/v1/secrets/stripe-key/emergency", method: .post, headers: admin,
                                                   body: ByteBuffer(string: #"{"reason":"x"}"#))
            #expect(unknown.status == .notFound)
            #expect(try ServerWorld.decode(unknown)["hint"] is String)
            #expect(world.providers.minted.isEmpty)
        }
    }
}
