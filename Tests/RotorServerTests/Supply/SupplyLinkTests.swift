import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorCore
import RotorTestSupport
import Testing

/// `GET /s/{token}` asks, `POST /s/{token}` takes the value once: through the real router, a real store (SQLite and
/// PostgreSQL) and the real runner, with a supply request as the runner sends it.
@Suite("Supply links")
struct SupplyLinkTests {
    static let origin = "https://rotor.example.com"

    static func manualPlaybook() -> Playbook {
        var playbook = ServerWorld.playbook()
        playbook.source = ProviderConfig(provider: "manual", kind: .source, index: 0, label: "manual",
                                         fields: ["instructions": .string("Roll the key in the vendor dashboard, then paste it here."),
                                                  "expect": .string("^rk_test_"), "deadline": .string("2d")],
                                         location: PlaybookLocation(file: "openai-api-key.yml", line: 1, column: 1))
        return playbook
    }

    /// A world whose secret waits for a value, and the token of the supply link the runner sent.
    static func waiting(_ backend: StoreBackend = .sqlite, logs: CapturingLogHandler.Store = .init()) async throws -> (ServerWorld, token: String) {
        let logger = Logger(label: "rotor.server.tests") { _ in CapturingLogHandler(store: logs) }
        let world = try await ServerWorld.make(playbook: manualPlaybook(), logger: logger, backend: backend)
        let outcome = try await world.runner.rotate(world.playbook, .init(trigger: .manual, actor: "tests"))
        #expect(outcome.rotation.state == .awaitingValue)
        let bodies = try await world.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 100) }
            .filter { $0.kind == "supply-request" }.map(\.body)
        let body = try world.replyTokens.reveal(try #require(bodies.first))
        let link = try #require(body.split(separator: " ").first { $0.hasPrefix("\(origin)/s/") })
        return (world, String(link.dropFirst("\(origin)/s/".count)))
    }

    static func csrf(_ page: TestResponse) throws -> String {
        let text = page.text
        let marker = "name=\"csrf\" value=\""
        let start = try #require(text.range(of: marker)).upperBound
        return String(text[start...].prefix { $0 != "\"" })
    }

    static func form(_ value: String, csrf: String) -> ByteBuffer {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return ByteBuffer(string: "value=\(encoded)&csrf=\(csrf)")
    }

    static let sameOrigin: HTTPFields = [.origin: origin, .contentType: "application/x-www-form-urlencoded"]

    func state(_ world: ServerWorld) async throws -> RotationState? {
        let secret = world.playbook.secret
        return try await world.store.transaction { try $0.rotations(secretName: secret).first?.state }
    }

    @Test(arguments: StoreBackend.allCases)
    func thePageShowsTheRequestAndChangesNothing(_ backend: StoreBackend) async throws {
        let (world, token) = try await Self.waiting(backend)
        let auditBefore = try await world.auditCount
        try await world.test { client in
            for _ in 0..<3 {
                let page = try await client.execute(uri: "/s/\(token)", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.headers[HTTPFields.Element.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(page.text.contains("Roll the key in the vendor dashboard"))
                #expect(page.text.contains("What happens next") && page.text.contains("Deadline"))
                #expect(page.text.contains("<textarea") && page.text.contains("name=\"csrf\""))
                #expect(!page.text.contains(token))
            }
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await world.auditCount == auditBefore)
            #expect(try await state(world) == .awaitingValue)
            #expect(world.providers.targetValue == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aGoodValueIsTakenOnceAndAReplayIsRefused(_ backend: StoreBackend) async throws {
        let logs = CapturingLogHandler.Store()
        let (world, token) = try await Self.waiting(backend, logs: logs)
        let canary = "rk_test_CANARY_" + UUID().uuidString
        try await world.test { client in
            var pages: [String] = []
            let page = try await client.execute(uri: "/s/\(token)", method: .get)
            let csrf = try Self.csrf(page)
            let taken = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                 body: Self.form(canary, csrf: csrf))
            pages.append(taken.text)
            #expect(taken.status == .ok, "\(taken.text)")
            #expect(taken.text.contains("new value accepted"))
            #expect(try await state(world) == .grace)
            #expect(world.providers.targetValue == canary)
            #expect(try await world.tokenRecord(token).usedAt != nil)
            let supplied = try await world.audit("value.supplied")
            #expect(supplied.count == 1 && supplied.first?.actor == "link:platform-team")

            let replay = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                  body: Self.form("rk_test_other", csrf: csrf))
            pages.append(replay.text)
            #expect(replay.status == .gone, "\(replay.text)")
            #expect(world.providers.targetValue == canary)
            let audit = try await world.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            let notifications = try await world.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 100) }
            let everything = pages + logs.all + audit.map { "\($0)" } + notifications.map { "\($0.subject) \($0.body) \($0.event ?? "")" }
            #expect(!everything.joined(separator: "\n").contains(canary), "the supplied value appears in no page, log, audit row or notice")
            #expect(!logs.all.joined().contains(token), "the link's token is not logged")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aRefusedValueChangesNothingAndTheLinkStaysUsable(_ backend: StoreBackend) async throws {
        let (world, token) = try await Self.waiting(backend)
        try await world.test { client in
            let csrf = try Self.csrf(try await client.execute(uri: "/s/\(token)", method: .get))
            for bad in ["sk_live_wrong_form", "rk_test_dead_key", "", String(repeating: "A", count: 12_000)] {
                let refused = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                       body: Self.form(bad, csrf: csrf))
                #expect(refused.status == .unprocessableContent, "\(refused.status)")
                #expect(refused.text.contains("Refused") && refused.text.contains("still works"))
                #expect(bad.isEmpty || !refused.text.contains(bad))
            }
            let huge = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                body: ByteBuffer(string: "value=" + String(repeating: "A", count: 100_000)))
            #expect(huge.status == .contentTooLarge)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await state(world) == .awaitingValue)
            let good = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                body: Self.form("rk_test_good_value", csrf: csrf))
            #expect(good.status == .ok)
            #expect(world.providers.targetValue == "rk_test_good_value")
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anotherOriginOrAMissingCSRFTokenIsRefused(_ backend: StoreBackend) async throws {
        let (world, token) = try await Self.waiting(backend)
        try await world.test { client in
            let csrf = try Self.csrf(try await client.execute(uri: "/s/\(token)", method: .get))
            let body = Self.form("rk_test_from_elsewhere", csrf: csrf)
            let attempts: [HTTPFields] = [
                [.origin: "https://evil.example.com"],
                [.origin: "null"],
                [.referer: "https://evil.example.com/s/\(token)"],
                [.origin: "http://rotor.example.com"],
                [:],
            ]
            for headers in attempts {
                let refused = try await client.execute(uri: "/s/\(token)", method: .post, headers: headers, body: body)
                #expect(refused.status == .forbidden, "\(headers)")
            }
            let fromReferer = try await client.execute(uri: "/s/\(token)", method: .post,
                                                       headers: [.referer: "\(Self.origin)/s/\(token)"],
                                                       body: Self.form("rk_test_x", csrf: "forged"))
            #expect(fromReferer.status == .forbidden)
            let noCSRF = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                  body: ByteBuffer(string: "value=rk_test_x"))
            #expect(noCSRF.status == .forbidden)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await state(world) == .awaitingValue)
            #expect(world.providers.targetValue == nil)
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func anExpiredOrForeignLinkIsRefused(_ backend: StoreBackend) async throws {
        let (world, token) = try await Self.waiting(backend)
        let skip = try await world.issue(action: "skip")
        try await world.test { client in
            let csrf = try Self.csrf(try await client.execute(uri: "/s/\(token)", method: .get))
            #expect(try await client.execute(uri: "/s/\(skip)", method: .get).status == .notFound, "a skip token is no supply link")
            #expect(try await client.execute(uri: "/s/nonsense", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/s/" + String(repeating: "x", count: 5_000), method: .get).status == .notFound)
            world.clock.advance(by: 3 * ServerWorld.day)
            #expect(try await client.execute(uri: "/s/\(token)", method: .get).status == .gone)
            let late = try await client.execute(uri: "/s/\(token)", method: .post, headers: Self.sameOrigin,
                                                body: Self.form("rk_test_late", csrf: csrf))
            #expect(late.status == .gone)
            #expect(try await state(world) == .awaitingValue)
        }
    }
}

@Suite("Supply links: tokens stay in their lane")
struct SupplyLinkLaneTests {
    @Test(arguments: StoreBackend.allCases)
    func aSupplyTokenPostedAsAReplyLinkIsRefusedAndNotUsedUp(_ backend: StoreBackend) async throws {
        let (world, token) = try await SupplyLinkTests.waiting(backend)
        try await world.test { client in
            let refused = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(refused.status == .notFound)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await client.execute(uri: "/s/\(token)", method: .get).status == .ok)
        }
    }
}
