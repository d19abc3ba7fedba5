import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorCore
import RotorTestSupport
import Testing

/// `GET /a/{token}` shows what approving a stage does, `POST /a/{token}` approves once: through the real router, a
/// real SQLite store and the real runner, with the approval request as the runner sends it.
@Suite("Approval links")
struct ApprovalLinkTests {
    /// staging (written at once), then production behind `approve: true`.
    static func stagedPlaybook() -> Playbook {
        var playbook = ServerWorld.playbook()
        playbook.targets = [playbook.targets[0], playbook.targets[0]]
        playbook.targets[1].index = 1
        playbook.checks = [playbook.checks[0], playbook.checks[0]]
        playbook.checks[1].index = 1
        playbook.stages = [PlaybookStage(name: "staging", targets: 0..<1, checks: 0..<1),
                           PlaybookStage(name: "production", targets: 1..<2, checks: 1..<2, approve: true)]
        return playbook
    }

    /// A world whose rotation waits for approval of production, and the token of the approval link the runner sent.
    static func waiting(logs: CapturingLogHandler.Store = .init()) async throws -> (ServerWorld, token: String) {
        let logger = Logger(label: "rotor.server.tests") { _ in CapturingLogHandler(store: logs) }
        let world = try await ServerWorld.make(playbook: stagedPlaybook(), logger: logger)
        let outcome = try await world.runner.rotate(world.playbook, .init(trigger: .manual, actor: "tests"))
        #expect(outcome.rotation.state == .awaitingApproval)
        let bodies = try await world.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 100) }
            .filter { $0.kind == "approval-request" }.map(\.body)
        #expect(bodies.count == 1)
        let body = try world.replyTokens.reveal(try #require(bodies.first))
        #expect(body.contains("stage production") && body.contains("rotor approve \(world.playbook.secret)"))
        let link = try #require(body.split(separator: " ").first { $0.hasPrefix("\(SupplyLinkTests.origin)/a/") })
        return (world, String(link.dropFirst("\(SupplyLinkTests.origin)/a/".count)))
    }

    static func form(csrf: String) -> ByteBuffer { ByteBuffer(string: "csrf=\(csrf)") }

    func state(_ world: ServerWorld) async throws -> RotationState? {
        let secret = world.playbook.secret
        return try await world.store.transaction { try $0.rotations(secretName: secret).first?.state }
    }

    @Test func thePageShowsWhatApprovingDoesAndChangesNothing() async throws {
        let (world, token) = try await Self.waiting()
        let auditBefore = try await world.auditCount
        let written = world.providers.targetValue
        try await world.test { client in
            for _ in 0..<3 {
                let page = try await client.execute(uri: "/a/\(token)", method: .get)
                #expect(page.status == .ok)
                #expect(page.headers[.cacheControl] == "no-store")
                #expect(page.text.contains("Approve stage production") && page.text.contains("Done and verified: staging"))
                #expect(page.text.contains("Deadline") && page.text.contains("name=\"csrf\""))
                #expect(!page.text.contains(token))
            }
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await world.auditCount == auditBefore)
            #expect(try await state(world) == .awaitingApproval)
            #expect(world.providers.targetValue == written)
        }
    }

    @Test func anApprovalIsTakenOnceAuditedWithWhoAndAReplayIsRefused() async throws {
        let logs = CapturingLogHandler.Store()
        let (world, token) = try await Self.waiting(logs: logs)
        try await world.test { client in
            let csrf = try SupplyLinkTests.csrf(try await client.execute(uri: "/a/\(token)", method: .get))
            let approved = try await client.execute(uri: "/a/\(token)", method: .post, headers: SupplyLinkTests.sameOrigin,
                                                    body: Self.form(csrf: csrf))
            #expect(approved.status == .ok, "\(approved.text)")
            #expect(approved.text.contains("stage production approved") && approved.text.contains("Every stage holds the new value"))
            #expect(try await state(world) == .grace)
            #expect(try await world.tokenRecord(token).usedAt != nil)
            let audit = try await world.audit("stage.approved")
            #expect(audit.count == 1 && audit.first?.actor == "link:platform-team" && audit.first?.detail == "stage production")
            let replay = try await client.execute(uri: "/a/\(token)", method: .post, headers: SupplyLinkTests.sameOrigin,
                                                  body: Self.form(csrf: csrf))
            #expect(replay.status == .gone, "\(replay.text)")
            let bareReplay = try await client.execute(uri: "/a/\(token)", method: .post, headers: [:], body: ByteBuffer(string: ""))
            #expect(bareReplay.status == .gone, "a used link is gone whatever the form holds")
            #expect(try await world.audit("stage.approved").count == 1)
            #expect(!logs.all.joined().contains(token), "the link's token is not logged")
            let minted = try #require(world.providers.minted.last)
            #expect(!logs.all.joined().contains(minted), "the new value appears in no log")
        }
    }

    @Test func anotherOriginOrAMissingCSRFTokenIsRefused() async throws {
        let (world, token) = try await Self.waiting()
        try await world.test { client in
            let csrf = try SupplyLinkTests.csrf(try await client.execute(uri: "/a/\(token)", method: .get))
            let attempts: [HTTPFields] = [[.origin: "https://evil.example.com"], [.origin: "null"],
                                          [.referer: "https://evil.example.com/a/\(token)"], [:]]
            for headers in attempts {
                let refused = try await client.execute(uri: "/a/\(token)", method: .post, headers: headers, body: Self.form(csrf: csrf))
                #expect(refused.status == .forbidden, "\(headers)")
            }
            for body in ["csrf=forged", "", "csrf=" + String(repeating: "A", count: 10_000)] {
                let refused = try await client.execute(uri: "/a/\(token)", method: .post, headers: SupplyLinkTests.sameOrigin,
                                                       body: ByteBuffer(string: body))
                #expect(refused.status == .forbidden)
            }
            let huge = try await client.execute(uri: "/a/\(token)", method: .post, headers: SupplyLinkTests.sameOrigin,
                                                body: ByteBuffer(string: "csrf=" + String(repeating: "A", count: 100_000)))
            #expect(huge.status == .contentTooLarge)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await state(world) == .awaitingApproval)
        }
    }

    @Test func anExpiredForeignOrMisroutedLinkIsRefusedAndNotUsedUp() async throws {
        let (world, token) = try await Self.waiting()
        let skip = try await world.issue(action: "skip")
        try await world.test { client in
            let csrf = try SupplyLinkTests.csrf(try await client.execute(uri: "/a/\(token)", method: .get))
            #expect(try await client.execute(uri: "/a/\(skip)", method: .get).status == .notFound, "a skip token is no approval link")
            #expect(try await client.execute(uri: "/a/nonsense", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/a/" + String(repeating: "x", count: 5_000), method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/s/\(token)", method: .get).status == .notFound, "an approval token is no supply link")
            #expect(try await client.execute(uri: "/r/\(token)", method: .post).status == .notFound, "nor a reply link")
            #expect(try await world.tokenRecord(token).usedAt == nil)
            world.clock.advance(by: 8 * ServerWorld.day)
            #expect(try await client.execute(uri: "/a/\(token)", method: .get).status == .gone)
            let late = try await client.execute(uri: "/a/\(token)", method: .post, headers: SupplyLinkTests.sameOrigin,
                                                body: Self.form(csrf: csrf))
            #expect(late.status == .gone)
            for (headers, body) in [(SupplyLinkTests.sameOrigin, ""), (SupplyLinkTests.sameOrigin, "csrf=forged"),
                                    ([.origin: "https://evil.example.com"] as HTTPFields, "csrf=\(csrf)")] {
                let refused = try await client.execute(uri: "/a/\(token)", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(refused.status == .gone, "expired whatever the form holds: \(headers) \(body)")
            }
            #expect(try await state(world) == .awaitingApproval)
        }
    }

    @Test func aCancelledRotationsLinkIsGone() async throws {
        let (world, token) = try await Self.waiting()
        let rotation = try #require(try await world.store.transaction { try $0.activeRotation(secretName: world.playbook.secret) })
        let outcome = try await world.runner.drive(rotationID: rotation.id, playbook: world.playbook, entry: .rollback(reason: "operator: freeze"))
        #expect(outcome.rotation.state == .rolledBack)
        try await world.test { client in
            let page = try await client.execute(uri: "/a/\(token)", method: .get)
            #expect(page.status == .gone)
        }
    }
}
