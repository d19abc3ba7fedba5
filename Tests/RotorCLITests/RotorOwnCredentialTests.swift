import Foundation
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// Playbooks/vercel-token.yml through the rotor binary against the sandbox: Rotor rotates its own Vercel
/// token (the old token mints the new one), and the next rotation of a playbook whose Vercel target reads
/// `token: secret:vercel-token` runs with the new token, after the old one was revoked.
@Suite("Rotor's own credentials end to end", .serialized)
struct RotorOwnCredentialTests {
    static func webKeyPlaybook(base: String) -> String {
        """
        secret: web-key
        schedule: { every: 30d }
        grace: 1h
        source: { provider: random }
        targets:
          - { provider: vercel, project: web-app, key: WEB_KEY, environments: [production], redeploy: false,
              token: "secret:vercel-token", api: "\(base)/vercel" }
        """
    }

    @Test(arguments: Backend.allCases)
    func afterRotatingVercelTokenTheNextVercelRotationUsesTheNewTokenAndTheOldOneIsRefused(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        let sandbox = Sandbox(deployDuration: .milliseconds(50))
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            let base = "http://127.0.0.1:\(try await sandbox.start(host: "127.0.0.1", port: 0))"
            let example = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/RotorCLITests/RotorOwnCredentialTests.swift",
                                                                                      with: "Playbooks/vercel-token.yml"), encoding: .utf8)
            try example.replacingOccurrences(of: "https://api.vercel.com", with: base + "/vercel")
                .write(toFile: "\(world.dir)/Playbooks/vercel-token.yml", atomically: true, encoding: .utf8)
            try Self.webKeyPlaybook(base: base).write(toFile: "\(world.dir)/Playbooks/web-key.yml", atomically: true, encoding: .utf8)
            #expect(try await world.run(["init"]).status == 0)
            let first = await sandbox.createVercelToken(name: "made by hand")
            try #require(try await world.run(["import", "vercel-token", "--handle", first.id], stdin: first.bearer).status == 0)
            try #require(try await world.run(["import", "web-key"], stdin: "initial-web-key-0000").status == 0)

            // No VERCEL_TOKEN anywhere: the token comes from the store only.
            let rotated = try await world.run(["rotate", "vercel-token"])
            #expect(rotated.status == 0, "\(rotated)")
            let second = try await world.withStore { tx, sealer in
                try World.open(try #require(try tx.version(secretName: "vercel-token", label: .current)), sealer)
            }
            #expect(second != first.bearer)
            #expect(await sandbox.isVercelTokenAccepted(first.bearer), "the old token stays valid through grace")

            let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(25 * 3600))])
            #expect(tick.status == 0, "\(tick)")
            #expect(await !sandbox.isVercelTokenAccepted(first.bearer), "the new token revoked the old one after grace")
            #expect(await sandbox.isVercelTokenAccepted(second))

            let web = try await world.run(["rotate", "web-key"])
            #expect(web.status == 0, "the Vercel target authenticated with the new token: \(web)")
            let webKey = try await world.withStore { tx, sealer in
                try World.open(try #require(try tx.version(secretName: "web-key", label: .current)), sealer)
            }
            #expect(await sandbox.envValue(project: "web-app", key: "WEB_KEY") == webKey)
        }
    }
}
