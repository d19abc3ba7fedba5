import Foundation
import RotorCore
import RotorHTTP
import RotorSandbox
import RotorTestSupport
import Testing

/// A `manual` source through the real binary: `rotor rotate` asks for the value and waits, `rotor supply` reads it
/// from standard input, refuses what does not fit (changing nothing), and carries a good value through to grace.
@Suite("Manual source: rotor supply end to end")
struct ManualSupplyEndToEndTests {
    /// The owner rolls the key in the (sandbox's) Stripe Dashboard, the old one expiring in an hour; the new key.
    private static func rollKey(sandboxURL: String) async throws -> String {
        var request = HTTPRequest(method: .POST, url: sandboxURL + "/_sandbox/stripe/roll", body: Array(#"{"expires_in_seconds":3600}"#.utf8))
        request.headers.add(name: "Content-Type", value: "application/json")
        let response = try await HTTPClient.shared.execute(request)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(json?["key"] as? String)
    }

    private static func manualPlaybook(_ world: World, vendorURL: String) throws {
        let playbook = """
            secret: app-token
            owner: payments-team
            grace: 1h
            source:
              provider: manual
              instructions: |
                In the vendor's dashboard roll the key, then paste the new one here.
              expect: "^rk_test_[A-Za-z0-9]{24,}$"
              test: { provider: http, url: "\(vendorURL)", headers: { Authorization: "Bearer {{value}}" }, expect_status: 200 }
            targets:
              - { provider: file, path: "\(world.envFile)", format: dotenv, key: APP_TOKEN }
            checks:
              - { provider: http, url: "\(world.app.url)/health", headers: { X-App-Token: "{{value}}" }, retries: 1, interval: 1s }
            """
        try playbook.write(toFile: "\(world.dir)/Playbooks/app-token.yml", atomically: true, encoding: .utf8)
    }

    @Test(arguments: Backend.allCases)
    func aSuppliedValueIsCheckedThenRotatedWhileRefusedOnesChangeNothing(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        let stripe = Sandbox()
        let sandboxURL = "http://127.0.0.1:\(try await stripe.start())"
        try await withCleanup({ await world.close(); await stripe.stop() }) {
            // Never issued by the (sandbox) vendor: well-formed, but its test request gets 401.
            let rolledElsewhere = "rk_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            let old = try await world.initialise()
            try Self.manualPlaybook(world, vendorURL: sandboxURL + "/stripe/v1/balance")
            var outputs: [String] = []
            func run(_ arguments: [String], stdin: String? = nil) async throws -> RotorProcess.Result {
                let result = try await world.run(arguments, stdin: stdin)
                outputs.append("\(result.stdout)\n\(result.stderr)")
                return result
            }
            func state() async throws -> RotationState? {
                try await world.withStore { tx, _ in try tx.activeRotation(secretName: "app-token")?.state }
            }

            let early = try await run(["supply", "app-token"], stdin: rolledElsewhere)
            #expect(early.status == 1 && early.stderr.contains("no rotation of app-token is waiting"), "\(early)")

            let asked = try await run(["rotate", "app-token"])
            #expect(asked.status == 0, "\(asked)")
            #expect(asked.stdout.contains("rotor supply app-token"), "\(asked)")
            #expect(try await state() == .awaitingValue)
            #expect(try world.fileValue() == old, "nothing is written while the rotation waits")

            let malformed = try await run(["supply", "app-token"], stdin: "not-a-key\n")
            #expect(malformed.status == 1 && malformed.stderr.contains("expected form"), "\(malformed)")
            let dead = try await run(["supply", "app-token"], stdin: rolledElsewhere + "\n")
            #expect(dead.status == 1 && dead.stderr.contains("HTTP 401"), "\(dead)")
            let empty = try await run(["supply", "app-token"], stdin: "")
            #expect(empty.status == 1 && empty.stderr.contains("no value"), "\(empty)")
            let huge = try await run(["supply", "app-token"], stdin: String(repeating: "A", count: 100_000))
            #expect(huge.status == 1 && huge.stderr.contains("longer than"), "\(huge)")
            #expect(try await state() == .awaitingValue, "a refused value changes nothing")
            #expect(try world.fileValue() == old)

            // The owner rolls the key at the vendor; the app behind the target accepts it too.
            let canary = try await Self.rollKey(sandboxURL: sandboxURL)
            try world.vendorAdopt(canary)
            let supplied = try await run(["supply", "app-token"], stdin: canary + "\n")
            #expect(supplied.status == 0, "\(supplied)")
            #expect(try world.fileValue() == canary)
            let rotation = try await world.withStore { tx, _ in try tx.rotations(secretName: "app-token").first }
            #expect(rotation?.state == .grace)
            let again = try await run(["supply", "app-token"], stdin: canary)
            #expect(again.status == 1, "\(again)")

            let audit = try await run(["audit", "export", "--format", "json"])
            #expect(audit.stdout.contains("value.supplied") && audit.stdout.contains("e2e-test"), "who supplied is audited")
            _ = try await run(["status", "app-token", "--json"])
            _ = try await run(["history", "app-token", "--json"])
            let notifications = try await world.withStore { tx, _ in
                try tx.notifications(org: nil, secretName: nil, limit: 1000).map { "\($0.subject)\n\($0.body)\n\($0.event ?? "")" }
            }
            let journal = try await world.withStore { tx, _ in
                try tx.rotations(secretName: "app-token").flatMap { try tx.journal(rotationID: $0.id) }.map { $0.detail ?? "" }
            }
            let everything = (outputs + notifications + journal).joined(separator: "\n")
            for value in [canary, rolledElsewhere] {
                #expect(!everything.contains(value), "a supplied value leaked into output, logs, audit, notifications or the journal")
            }
            #expect(everything.contains(String(canary.suffix(4))), "the search can find the last 4")
        }
    }
}
