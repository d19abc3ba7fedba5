import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorHTTP
import RotorNotifiers
import RotorTestSupport
import Testing

/// A warning's reply links and code are never stored readable, and still work once delivered.
@Suite("Sealed warnings")
struct SealedWarningTests {
    @Test func linksAndCodeAreSealedInTheStoreAndWorkWhenDelivered() async throws {
        let world = try await ServerWorld.make()
        let slack = try TestHTTPServer()
        defer { slack.stop() }
        slack.route("/services/T1/B2/hook", .text("ok"))

        // A pass of the scheduler six days before the rotation enqueues the 7-day warning.
        let due = ServerWorld.start.addingTimeInterval(30 * ServerWorld.day)
        world.clock.set(due.addingTimeInterval(-6 * ServerWorld.day))
        let runner = RotationRunner(store: world.store, sealer: world.sealer, factory: world.providers, clock: world.clock, logger: world.logger)
        let scheduler = Scheduler(runner: runner, store: world.store, clock: world.clock, playbooks: [world.playbook],
                                  replyTokens: world.replyTokens, keys: nil,
                                  configuration: .init(publicURL: "https://rotor.example.com"), logger: world.logger)
        #expect(await scheduler.tick().map(\.action) == ["warned"])

        let client = HTTPClient(logger: world.logger)
        defer { client.shutdown() }
        let config = try RotorConfig.parse(file: "rotor.yml", text: "channels:\n  security-slack: { type: slack, url: env:SLACK_URL }\n")
        let delivery = OutboxDelivery(store: world.store, config: config,
                                      credentials: CredentialResolver(environment: ["SLACK_URL": slack.url("/services/T1/B2/hook")],
                                                                      store: nil, sealer: nil),
                                      client: client, replyTokens: world.replyTokens, clock: world.clock, owner: "tests", logger: world.logger)
        let report = await delivery.deliverDue()
        #expect(report.sent == 1, "\(report)")

        // What the owner received: two links and a code.
        let post = try #require(slack.requests(to: "/services/T1/B2/hook").first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(post.body)) as? [String: Any])
        let blocks = try #require(json["blocks"] as? [[String: Any]])
        let text = try #require((blocks.first?["text"] as? [String: Any])?["text"] as? String)
        let links = text.matches(of: /https:\/\/rotor\.example\.com\/r\/([A-Za-z0-9_-]+)/).map { String($0.output.1) }
        #expect(links.count == 2, "\(text)")
        let code = try #require(text.firstMatch(of: /code ([A-Z2-9]{8})\)/)).output.1
        #expect(!text.contains("{{sealed:"))

        // The store holds none of them: neither the outbox rows nor any byte of the database files.
        let rows = try await world.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 100) }
        #expect(rows.count == 1)
        let stored = rows.map { $0.subject + $0.body + ($0.lastError ?? "") }.joined()
        #expect(stored.contains("{{sealed:"))
        var files = Data()
        for suffix in ["", "-wal", "-shm"] { files += (FileManager.default.contents(atPath: world.path + suffix) ?? Data()) }
        #expect(!files.isEmpty)
        for secret in links + [String(code)] {
            #expect(!stored.contains(secret), "an outbox row holds a reply link or code")
            #expect(files.range(of: Data(secret.utf8)) == nil, "the database files hold a reply link or code")
        }

        // And they work.
        try await world.test { client in
            for link in links { #expect(try await client.execute(uri: "/r/\(link)", method: .get).status == .ok) }
            let reply = #"{"code":"\#(code)","text":"SKIP","from":"owner"}"#
            let answer = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(reply),
                                                  body: ByteBuffer(string: reply))
            #expect(answer.status == .ok)
            #expect(try ServerWorld.decode(answer)["outcome"] as? String == "skipped")
        }
    }

    @Test func aReceiverThatEchoesTheLinksDoesNotPutThemIntoTheOutbox() async throws {
        let world = try await ServerWorld.make()
        let slack = try TestHTTPServer()
        defer { slack.stop() }
        slack.route("/hook") { request in
            let echoed = String(decoding: request.body, as: UTF8.self).matches(of: /r\\?\/([A-Za-z0-9_-]{20,})/).map { String($0.output.1) }
            return .text("invalid_payload: " + echoed.joined(separator: " "), status: 400)
        }
        world.clock.set(ServerWorld.start.addingTimeInterval(24 * ServerWorld.day))
        let runner = RotationRunner(store: world.store, sealer: world.sealer, factory: world.providers, clock: world.clock, logger: world.logger)
        _ = await Scheduler(runner: runner, store: world.store, clock: world.clock, playbooks: [world.playbook],
                            replyTokens: world.replyTokens, keys: nil, configuration: .init(publicURL: "https://rotor.example.com"),
                            logger: world.logger).tick()
        let client = HTTPClient(logger: world.logger)
        defer { client.shutdown() }
        let config = try RotorConfig.parse(file: "rotor.yml", text: "channels:\n  security-slack: { type: slack, url: env:SLACK_URL }\n")
        let report = await OutboxDelivery(store: world.store, config: config,
                                          credentials: CredentialResolver(environment: ["SLACK_URL": slack.url("/hook")], store: nil, sealer: nil),
                                          client: client, replyTokens: world.replyTokens, clock: world.clock, owner: "tests",
                                          logger: world.logger).deliverDue()
        #expect(report.failed == 1)
        let sent = String(decoding: try #require(slack.requests(to: "/hook").first).body, as: UTF8.self)
        let links = sent.matches(of: /r\\?\/([A-Za-z0-9_-]{20,})/).map { String($0.output.1) }
        #expect(links.count == 2)
        let row = try #require(try await world.store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 1) }.first)
        let error = try #require(row.lastError)
        #expect(error.contains("invalid_payload: <redacted> <redacted>"), "\(error)")
        for link in links { #expect(!error.contains(link)) }
        await world.close()
    }

    @Test func aSealedValueFromAnotherKeyDoesNotOpen() throws {
        let tokens = ReplyTokens(key: Array(repeating: 1, count: 32))
        let other = ReplyTokens(key: Array(repeating: 2, count: 32))
        let text = "open https://rotor.example.com/r/\(try tokens.sealed("tok-123")) or reply SKIP (code \(try tokens.sealed("ABCD2345")))"
        #expect(!text.contains("tok-123") && !text.contains("ABCD2345"))
        #expect(try tokens.reveal(text) == "open https://rotor.example.com/r/tok-123 or reply SKIP (code ABCD2345)")
        #expect(throws: ReplyTokensError.sealedValueDoesNotOpen) { try other.reveal(text) }
        #expect(try tokens.reveal("no placeholders {{here}}") == "no placeholders {{here}}")
        #expect(tokens.codeHash(" abcd2345\n") == tokens.codeHash("ABCD2345"))
        #expect(tokens.codeHash("ABCD2345") != tokens.hash("ABCD2345"))
    }
}
