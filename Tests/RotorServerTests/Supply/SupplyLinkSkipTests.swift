import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorTestSupport
import Testing

/// Issue 12: a SKIP of a secret whose scheduled request for a value still waits withdraws the request, and the supply
/// link that went out with it stops working (through the real router and a real SQLite store).
@Suite("Supply links after a SKIP")
struct SupplyLinkSkipTests {
    @Test func aSkipWithdrawsTheScheduledRequestAndItsLinkAnswersGone() async throws {
        let world = try await ServerWorld.make(playbook: SupplyLinkTests.manualPlaybook())
        let outcome = try await world.runner.rotate(world.playbook, .init(trigger: .schedule, actor: "scheduler"))
        #expect(outcome.rotation.state == .awaitingValue)
        let body = try await world.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 100) }
            .first { $0.kind == "supply-request" }?.body
        let revealed = try world.replyTokens.reveal(try #require(body))
        #expect(revealed.contains("rotor skip \(world.playbook.secret)"), "the request says how to postpone it")
        let link = try #require(revealed.split(separator: " ").first { $0.hasPrefix("\(SupplyLinkTests.origin)/s/") })
        let token = String(link.dropFirst("\(SupplyLinkTests.origin)/s/".count))
        try await world.test { client in
            let before = try await client.execute(uri: "/s/\(token)", method: .get)
            #expect(before.status == .ok)
            let skipped = try await SkipService(store: world.store, clock: world.clock)
                .skip(world.playbook, for: nil, reason: "vendor freeze", actor: "dana", via: "link")
            #expect(skipped.message.contains("withdrawn"))
            let page = try await client.execute(uri: "/s/\(token)", method: .get)
            #expect(page.status == .gone, "\(page.status)")
            let post = try await client.execute(uri: "/s/\(token)", method: .post, headers: SupplyLinkTests.sameOrigin,
                                                body: SupplyLinkTests.form("rk_test_anything", csrf: "x"))
            #expect(post.status != .ok && post.status != .unprocessableContent, "\(post.status)")
            let rotations = try await world.store.transaction { try $0.rotations(secretName: world.playbook.secret) }
            #expect(rotations.first?.state == .rolledBack && rotations.first?.newVersionID == nil)
            #expect(world.providers.targetValue == nil, "nothing was written")
        }
    }
}
