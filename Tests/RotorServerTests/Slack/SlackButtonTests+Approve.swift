import Foundation
import Hummingbird
import HummingbirdTesting
import RotorApp
import RotorCore
import RotorCrypto
import RotorSandbox
import RotorServer
import RotorTestSupport
import Testing

/// Approve, for real: a staged playbook (staging, then production behind `approve: true`, file targets) waits in
/// `awaiting_approval`; its approval request is posted to Slack with an Approve button, and a click on it approves
/// through the server's own ApprovalService.
extension SlackButtonTests {
    /// The value SlackWorld imports as the secret's current one.
    static let oldDeployKey = ServerWorld.importedValue

    static func stagedPlaybook(_ dir: String) throws -> Playbook {
        let text = """
            secret: deploy-key
            owner: platform
            grace: 1h
            source: { provider: random, length: 32 }
            stages:
              - name: staging
                targets: [ { provider: file, path: \(dir)/staging.env, key: DEPLOY_KEY } ]
              - name: production
                approve: true
                targets: [ { provider: file, path: \(dir)/production.env, key: DEPLOY_KEY } ]
            notify: [ security-slack ]
            """
        let (parsed, problems) = PlaybookParser(catalog: ProviderRegistry.catalog).parse(file: "deploy-key.yml", text: text)
        return try #require(parsed, "\(problems)")
    }

    static func deployKey(_ file: String) throws -> String? {
        try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("DEPLOY_KEY=") }.map { String($0.dropFirst("DEPLOY_KEY=".count)) }
    }

    @Test(arguments: Backend.allCases)
    func approveOnTheApprovalRequestApprovesTheWaitingStageAsTheSlackUserAndProductionGetsTheNewValue(_ backend: Backend) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-slack-staged-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (staging, production) = ("\(dir)/staging.env", "\(dir)/production.env")
        for file in [staging, production] { try "DEPLOY_KEY=\(Self.oldDeployKey)\n".write(toFile: file, atomically: true, encoding: .utf8) }
        let playbook = try Self.stagedPlaybook(dir)
        let world = try await SlackWorld.make(backend, playbook: playbook)

        let waiting = try await world.app.runner().rotate(playbook, .init(trigger: .manual, actor: "alice"))
        #expect(waiting.rotation.state == .awaitingApproval)
        let rotationID = waiting.rotation.id
        let newValue = try #require(try Self.deployKey(staging))
        #expect(newValue != Self.oldDeployKey, "staging holds the new value")
        #expect(try Self.deployKey(production) == Self.oldDeployKey, "production waits for the approval")

        let report = await world.app.outboxDelivery(replyTokens: try await world.app.replyTokens()).deliverDue()
        #expect(report.sent >= 1, "\(report.errors)")
        let posted = try await world.postedMessage()
        #expect(posted.blocks.contains(#""action_id":"approve""#) && posted.blocks.contains(#""value":"\#(rotationID)""#), "\(posted.blocks)")

        try await world.test { client in
            let click = world.click("approve", value: rotationID, on: posted)
            let answer = try await client.execute(uri: route, method: .post, headers: click.headers, body: click.body)
            #expect(answer.status == .ok, "\(answer.text)")
            await world.service.settleSlackFollowUps()

            let rotation = try #require(try await world.app.store.transaction { try $0.rotation(id: rotationID) })
            #expect(rotation.state == .grace, "\(rotation.state) \(rotation.error ?? "")")
            let approved = try await world.audit("stage.approved")
            #expect(approved.map(\.actor) == ["slack:U024BE7LH (amy.mcgee)"])
            #expect(approved.first?.detail == "stage production")
            #expect(try Self.deployKey(production) == newValue, "production holds the new value")
            #expect(try Self.deployKey(staging) == newValue)

            let updated = try await world.postedMessage()
            #expect(updated.updates == 1)
            #expect(updated.blocks.contains("<@U024BE7LH> approved rotation \(rotationID): deploy-key goes on; its rotation is now grace"),
                    "\(updated.blocks)")
            #expect(!updated.blocks.contains("action_id"), "the Approve button is gone")

            // A second click (a second later: the same request again would be a replay) approves nothing more.
            world.clock.advance(by: 1)
            let again = world.click("approve", value: rotationID, on: posted)
            #expect(try await client.execute(uri: route, method: .post, headers: again.headers, body: again.body).status == .ok)
            #expect(try await world.audit("stage.approved").count == 1)
            #expect(try await world.postedMessage().blocks.contains("could not approve rotation \(rotationID)"))
            let everything = try await world.allAudit().map { "\($0)" } + world.logs.all + [try await world.postedMessage().blocks]
            #expect(!everything.joined(separator: "\n").contains(newValue), "the new value appears in no audit row, log or message")
        }
    }
}
