import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "List SECRET's rotations, newest first, with trigger, actor, reason, steps and outcome.",
        discussion: "Example:\n  rotor history openai-api-key --json"
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Option(help: "At most this many rotations.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (entries, playbook) = try await RotorApp.with(global) { app in
            let set = app.loadPlaybooks()
            // As `status SECRET` does: a name Rotor does not know is a typo, not a secret without rotations.
            let known = try await app.secrets.knownSecrets(playbooks: set.playbooks, invalid: set.problemsBySecret)
            guard known.contains(secret) else {
                throw CLIError("no secret named \(TerminalText.safe(secret)) (no playbook and nothing in the store)"
                               + (known.isEmpty ? "" : "; known secrets: \(known.map(TerminalText.safe).joined(separator: ", "))"))
            }
            return (try await app.secrets.history(secret: secret, limit: limit), set.playbooks.first { $0.secret == secret })
        }
        if json {
            print(JSONOutput.string(entries))
            return
        }
        let safe = TerminalText.safe
        if entries.isEmpty { print("\(safe(secret)): no rotations yet") }
        for entry in entries {
            let rotation = entry.rotation
            print("\(ISO8601.string(rotation.createdAt))  \(rotation.id)  \(rotation.state.rawValue)  "
                  + "\(rotation.trigger.rawValue) by \(safe(rotation.actor))\(rotation.reason.map { " — \(safe($0))" } ?? "")")
            print("  \(entry.old?.display ?? "(none)") → \(entry.new?.display ?? "(none)")")
            // Progress notes (a deploy id while it ran) are journaled as `started` entries with a detail: skip them here.
            for step in entry.steps where step.step != "plan" && !(step.phase == "started" && step.detail != nil) {
                // The journal key, with what it did as people know it (the target's label) next to it.
                let label = playbook.map { $0.stepLabel(step.step) }.flatMap { $0 == step.step ? nil : " (\(safe($0)))" } ?? ""
                print("    \(ISO8601.string(step.at))  \(safe(step.step).padding(toLength: 20, withPad: " ", startingAt: 0)) "
                      + "\(step.phase)\(label)\(step.phase == "failed" ? ": \(safe(step.detail ?? ""))" : "")")
            }
            if let error = rotation.error { print("  error: \(safe(error))") }
        }
    }
}
