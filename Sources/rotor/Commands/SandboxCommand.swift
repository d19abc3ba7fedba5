import ArgumentParser
import Foundation
import RotorCore
import RotorSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run local emulators of Vercel, Render, a key vendor and the apps that use them.",
        discussion: """
            One HTTP server on 127.0.0.1 speaks the real Vercel and Render APIs under /vercel and /render/v1, a key-issuing vendor under /vendor, simulated apps under /apps/NAME/health, and an admin API under /_sandbox (state, faults, reset). Adapters work unchanged: point their `api:` at it.

            Default world: Vercel projects web-app and docs-site (token sandbox-vercel-token); Render services srv-api and srv-worker with env group evg-shared linked to both (token sandbox-render-token); the vendor's admin token is sandbox-vendor-admin; Slack's bot token is xoxb-sandbox-bot-token, in channel C0SANDBOX01; every app reads OPENAI_API_KEY.

            Example:
              rotor sandbox --port 8790
              curl -s localhost:8790/_sandbox/state
            """
    )

    @OptionGroup var output: OutputOptions
    @Option(help: "Port on 127.0.0.1 (0: any free port).") var port = 8790
    @Option(help: "A world file (YAML or JSON) instead of the default world.") var world: String?
    @Option(name: .customLong("deploy-seconds"), help: "How long a simulated deploy takes.") var deploySeconds = 1.0

    func run() async throws {
        CLILogging.bootstrap()
        let loaded = try world.map { try Sandbox.loadWorld(file: $0) } ?? .default
        let sandbox = Sandbox(world: loaded, deployDuration: .milliseconds(Int64(deploySeconds * 1000)))
        let bound = try await sandbox.start(host: "127.0.0.1", port: port)
        print("sandbox listening on http://127.0.0.1:\(bound)")
        print("  vercel  http://127.0.0.1:\(bound)/vercel")
        print("  render  http://127.0.0.1:\(bound)/render/v1")
        print("  vendor  http://127.0.0.1:\(bound)/vendor")
        print("  slack   http://127.0.0.1:\(bound)/slack/api (messages: /_sandbox/slack/messages)")
        print("  admin   http://127.0.0.1:\(bound)/_sandbox/state")
        fflush(nil)
        await sandbox.wait()
    }
}
