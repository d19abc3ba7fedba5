import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import RotorCore
import Testing
@testable import RotorServer

/// Failed attempts are limited per client address; valid requests never are.
@Suite("Failure limit")
struct FailureLimitTests {
    static let limits = ServiceLimits(failuresPerWindow: 3, window: .seconds(60))
    static let forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    func verify(_ client: some TestClientProtocol, _ key: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/keys/verify", method: .post, body: ByteBuffer(string: #"{"key":"\#(key)"}"#))
    }

    @Test func keyVerificationsThatFailPastTheLimitGet429WithRetryAfterAndValidOnesNever() async throws {
        let world = try await ServerWorld.make(limits: Self.limits)
        let (_, key) = try await world.keyTable.create(org: "acme", name: "backend", scopes: [], rateLimit: nil, actor: "tests")
        try await world.test { client in
            for _ in 0..<3 {
                let answer = try await verify(client, "rk_not_a_key")
                #expect(answer.status == .ok)
                #expect(try ServerWorld.decode(answer)["valid"] as? Bool == false)
            }
            let limited = try await verify(client, "rk_not_a_key")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "60")
            #expect(try ServerWorld.decode(limited)["hint"] as? String == "wait 60 seconds before trying again; check the link, code, signature, token or key first")
            // The valid key is answered all along, from the same address.
            for _ in 0..<200 { #expect(try await verify(client, key.revealed).status == .ok) }
            world.clock.advance(by: 20)
            #expect(try await verify(client, "rk_not_a_key").headers[.retryAfter] == "40")
            world.clock.advance(by: 40)
            #expect(try await verify(client, "rk_not_a_key").status == .ok)
        }
    }

    func claim(_ client: some TestClientProtocol, _ key: String) async throws -> TestResponse {
        try await client.execute(uri: "/v1/keys/claim", method: .post, body: ByteBuffer(string: #"{"old_key":"\#(key)"}"#))
    }

    /// Over a real socket: claims refused because the old key is unknown, its slot was already claimed, or its grace
    /// (and slot) expired count like refused verifications; past the limit 429, while a valid claim still goes through.
    @Test func refusedKeyClaimsPastTheLimitGet429WithRetryAfterAndValidOnesNever() async throws {
        let world = try await ServerWorld.make(limits: Self.limits)
        let table = world.keyTable
        let expired = try await table.create(org: "acme", name: "expired", scopes: [], rateLimit: nil, actor: "tests")
        _ = try await table.rotate(id: expired.record.id, grace: .seconds(60), trigger: .schedule, actor: "scheduler",
                                   reason: "max_age", deliverByPickup: true)
        world.clock.advance(by: 120)
        let used = try await table.create(org: "acme", name: "used", scopes: [], rateLimit: nil, actor: "tests")
        _ = try await table.rotate(id: used.record.id, trigger: .schedule, actor: "scheduler", reason: "max_age", deliverByPickup: true)
        let valid = try await table.create(org: "acme", name: "valid", scopes: [], rateLimit: nil, actor: "tests")
        let rotation = try await table.rotate(id: valid.record.id, trigger: .schedule, actor: "scheduler", reason: "max_age",
                                              deliverByPickup: true)
        let canaries = [expired.key.revealed, used.key.revealed, valid.key.revealed]
        try await world.live { client in
            #expect(try await claim(client, used.key.revealed).status == .ok)
            #expect(try await claim(client, used.key.revealed).status == .forbidden)
            #expect(try await claim(client, "rk_live_NotAKeyNotAKeyNotAKeyNotAKey00").status == .forbidden)
            #expect(try await claim(client, expired.key.revealed).status == .forbidden)
            let limited = try await claim(client, "rk_live_NotAKeyNotAKeyNotAKeyNotAKey00")
            #expect(limited.status == .tooManyRequests)
            #expect(limited.headers[.retryAfter] == "60")
            for canary in canaries { #expect(!limited.text.contains(canary)) }
            // The valid claim from the same address is answered.
            let answer = try await claim(client, valid.key.revealed)
            #expect(answer.status == .ok)
            #expect(try ServerWorld.decode(answer)["key_id"] as? String == rotation.new.id)
            world.clock.advance(by: 61)
            #expect(try await claim(client, expired.key.revealed).status == .forbidden)
            let refused = try await world.audit("key.claim_refused")
            #expect(refused.first?.detail?.hasSuffix("from 127.0.0.1") == true)
            for event in refused { for canary in canaries { #expect(!"\(event)".contains(canary)) } }
        }
    }

    @Test func anAddressPastTheLimitIsRefusedBeforeItsLinkIsChecked() async throws {
        let world = try await ServerWorld.make(limits: Self.limits)
        let token = try await world.issue(action: "skip")
        try await world.test { client in
            #expect(try await client.execute(uri: "/r/\(Self.forged)", method: .get).status == .notFound)
            for _ in 0..<2 { #expect(try await client.execute(uri: "/r/\(Self.forged)", method: .post).status == .notFound) }
            // Even a genuine link waits: answering it would tell a guess from a miss.
            let page = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(page.status == .tooManyRequests)
            #expect(page.headers[.retryAfter] == "60")
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            world.clock.advance(by: 60)
            #expect(try await client.execute(uri: "/r/\(token)", method: .post).status == .ok)
        }
    }

    @Test func badSignaturesAndWrongAdminTokensCountAgainstTheSameAddress() async throws {
        let world = try await ServerWorld.make(limits: Self.limits)
        _ = try await world.issue(action: "skip", code: "SKIPAAA2")
        let reply = #"{"code":"SKIPAAA2","text":"SKIP","from":"tests"}"#
        try await world.test { client in
            let forged = try await client.execute(uri: "/v1/replies", method: .post,
                                                  headers: world.signedHeaders(reply, secret: Array("wrong".utf8)),
                                                  body: ByteBuffer(string: reply))
            #expect(forged.status == .unauthorized)
            for token in ["wrong-token", "also-wrong"] {
                let answer = try await client.execute(uri: "/v1/secrets/openai-api-key/emergency", method: .post,
                                                      headers: [.authorization: "Bearer \(token)"],
                                                      body: ByteBuffer(string: #"{"reason":"test"}"#))
                #expect(answer.status == .unauthorized)
            }
            let signed = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(reply),
                                                  body: ByteBuffer(string: reply))
            #expect(signed.status == .tooManyRequests)
            #expect(signed.headers[.retryAfter] == "60")
            let admin = try await client.execute(uri: "/v1/secrets/openai-api-key/emergency", method: .post,
                                                 headers: [.authorization: "Bearer admin-token-for-tests"],
                                                 body: ByteBuffer(string: #"{"reason":"test"}"#))
            #expect(admin.status == .tooManyRequests)
            #expect(world.providers.minted.isEmpty)
            world.clock.advance(by: 61)
            #expect(try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(reply),
                                             body: ByteBuffer(string: reply)).status == .ok)
        }
    }

    /// Over a real socket the address is the peer's: a header claiming another one changes nothing.
    @Test func theAddressIsTheSocketsNotAHeaders() async throws {
        let world = try await ServerWorld.make(limits: Self.limits)
        try await world.live { client in
            for index in 0..<3 {
                let headers: HTTPFields = [HTTPFields.Element.Name("X-Forwarded-For")!: "203.0.113.\(index)"]
                #expect(try await client.execute(uri: "/r/\(Self.forged)", method: .post, headers: headers).status == .notFound)
            }
            let headers: HTTPFields = [HTTPFields.Element.Name("X-Forwarded-For")!: "203.0.113.99"]
            #expect(try await client.execute(uri: "/r/\(Self.forged)", method: .post, headers: headers).status == .tooManyRequests)
            let refused = try await world.audit("reply.refused")
            #expect(refused.first?.detail?.hasSuffix("from 127.0.0.1") == true)
        }
    }

    @Test func addressesAreCountedApartAndWindowsStartAfresh() {
        let limiter = FailureLimiter(limit: 2, window: .seconds(60), capacity: 100)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let (a, b) = (ClientAddress("192.0.2.1"), ClientAddress("192.0.2.2"))
        #expect(limiter.recordFailure(a, now: start) == nil)
        #expect(limiter.retryAfter(a, now: start) == nil)
        #expect(limiter.recordFailure(a, now: start.addingTimeInterval(10)) == nil)
        #expect(limiter.retryAfter(a, now: start.addingTimeInterval(10)) == 50)
        #expect(limiter.recordFailure(a, now: start.addingTimeInterval(15)) == 45)
        #expect(limiter.retryAfter(b, now: start.addingTimeInterval(15)) == nil)
        #expect(limiter.retryAfter(a, now: start.addingTimeInterval(60)) == nil)
        #expect(limiter.recordFailure(a, now: start.addingTimeInterval(60)) == nil)
    }

    @Test func aFloodFromManyAddressesStaysWithinCapacity() {
        let limiter = FailureLimiter(limit: 1, window: .seconds(60), capacity: 100)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        for index in 0..<1_000 { limiter.recordFailure(ClientAddress("10.0.\(index / 256).\(index % 256)"), now: now) }
        // The latest addresses are still held to their limit.
        #expect(limiter.retryAfter(ClientAddress("10.0.3.231"), now: now) == 60)
    }

    @Test func ipv6AddressesAreCountedByTheirSlash64() throws {
        let one = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2:aaaa::1", port: 1))
        let two = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2:bbbb::2", port: 2))
        let other = ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 2))
        #expect(one == two)
        #expect(one.description == "2001:db8:1:2::/64")
        #expect(other != one)
        #expect(ClientAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1)).description == "192.0.2.7")
        #expect(ClientAddress(try SocketAddress(ipAddress: "192.0.2.7", port: 1)).description == "192.0.2.7")
        #expect(ClientAddress(nil).description == "unknown")
    }
}
