import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct SkipCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skip",
        abstract: "Postpone SECRET's next scheduled rotation.",
        discussion: """
            A skip moves the rotation by the playbook's policy.skip_for (default 30d) or --for, at most policy.max_skips times per cycle, and never past policy.max_age since the current key was created: a skip that would cross that limit is cut to it. --override-compliance lifts both limits and is audited as such.

            Examples:
              rotor skip openai-api-key --reason "release freeze"
              rotor skip openai-api-key --for 14d --reason "waiting for the mobile release"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Option(name: .customLong("for"), help: "How long, e.g. 14d (default: the playbook's skip_for).", transform: DurationText.parseArgument)
    var duration: Duration?
    @Option(help: "Why; recorded in the audit log and sent to the owners.") var reason: String
    @Flag(name: .customLong("override-compliance"), help: "Allow going past max_skips and max_age (audited).") var overrideCompliance = false
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let outcome = try await RotorApp.with(global) { app -> SkipService.Outcome in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            return try await app.skips.skip(playbook, for: duration, reason: reason, actor: RotorApp.actor, via: "cli",
                                            overrideCompliance: overrideCompliance)
        }
        if json {
            print(JSONOutput.string(outcome))
        } else {
            print("\(outcome.capped ? "⚠️ " : "✅") \(TerminalText.safe(outcome.message)) (skip \(outcome.skipsUsed) of \(outcome.maxSkips) this cycle)")
        }
    }
}
