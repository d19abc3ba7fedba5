import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import Testing

/// `POST /v1/keys/verify` and `POST /v1/keys/claim` against the real key table.
@Suite("Customer key endpoints")
struct KeyEndpointTests {
    @Test func verifyAnswersForGoodRevokedAndMalformedKeys() async throws {
        let world = try await ServerWorld.make()
        let (record, key) = try await world.keyTable.create(org: "acme", name: "backend", scopes: ["read"], rateLimit: 100, actor: "tests")
        try await world.test { client in
            let good = try await client.execute(uri: "/v1/keys/verify", method: .post,
                                                body: ByteBuffer(string: #"{"key":"\#(key.revealed)"}"#))
            #expect(good.status == .ok)
            #expect(good.headers[.cacheControl] == "no-store")
            let answer = try ServerWorld.decode(good)
            #expect(answer["valid"] as? Bool == true)
            #expect(answer["key_id"] as? String == record.id)
            #expect(answer["org"] as? String == "acme")
            #expect(!good.text.contains(key.revealed))

            let malformed = try ServerWorld.decode(try await client.execute(uri: "/v1/keys/verify", method: .post,
                                                                            body: ByteBuffer(string: #"{"key":"nope"}"#)))
            #expect(malformed["valid"] as? Bool == false)
            #expect(malformed["reason"] as? String == "bad_format")

            _ = try await world.keyTable.revoke(id: record.id, reason: "test", actor: "tests")
            let revoked = try ServerWorld.decode(try await client.execute(uri: "/v1/keys/verify", method: .post,
                                                                          body: ByteBuffer(string: #"{"key":"\#(key.revealed)"}"#)))
            #expect(revoked["valid"] as? Bool == false)
            #expect(revoked["reason"] as? String == "revoked")

            let noKey = try await client.execute(uri: "/v1/keys/verify", method: .post, body: ByteBuffer(string: #"{"token":"x"}"#))
            #expect(noKey.status == .badRequest)
            #expect(try ServerWorld.decode(noKey)["hint"] as? String == #"send {"key": "…"}"#)
            #expect(try await client.execute(uri: "/v1/keys/verify?key=\(key.revealed)", method: .get).status == .methodNotAllowed)
        }
    }

    @Test func claimHandsTheNewKeyOutOnceWithoutCaching() async throws {
        let world = try await ServerWorld.make()
        let (record, old) = try await world.keyTable.create(org: "acme", name: "mobile", scopes: [], rateLimit: nil, actor: "tests")
        let rotation = try await world.keyTable.rotate(id: record.id, trigger: .schedule, actor: "scheduler", reason: "max_age",
                                                       deliverByPickup: true)
        try await world.test { client in
            let body = ByteBuffer(string: #"{"old_key":"\#(old.revealed)"}"#)
            let claim = try await client.execute(uri: "/v1/keys/claim", method: .post, body: body)
            #expect(claim.status == .ok)
            #expect(claim.headers[.cacheControl] == "no-store")
            let answer = try ServerWorld.decode(claim)
            #expect(answer["key_id"] as? String == rotation.new.id)
            let newKey = try #require(answer["key"] as? String)
            #expect(newKey.hasSuffix(rotation.new.last4))
            #expect(!claim.text.contains(old.revealed))

            let verified = try ServerWorld.decode(try await client.execute(uri: "/v1/keys/verify", method: .post,
                                                                           body: ByteBuffer(string: #"{"key":"\#(newKey)"}"#)))
            #expect(verified["key_id"] as? String == rotation.new.id)

            let second = try await client.execute(uri: "/v1/keys/claim", method: .post, body: body)
            #expect(second.status == .forbidden)
            #expect(!second.text.contains(newKey))
            #expect(!second.text.contains(old.revealed))
            #expect(((try ServerWorld.decode(second)["error"] as? String) ?? "").contains("no new key is waiting"))
        }
    }
}
