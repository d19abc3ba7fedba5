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
    @Argument(help: "The secret's name.") var secret: String
    @Option(help: "At most this many rotations.") var limit = 20
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let (entries, playbook) = try await RotorApp.with(global) { app in
            (try await app.secrets.history(secret: secret, limit: limit),
             app.loadPlaybooks().playbooks.first { $0.secret == secret })
        }
        if json {
            print(JSONOutput.string(entries))
            return
        }
        if entries.isEmpty { print("\(secret): no rotations yet") }
        for entry in entries {
            let rotation = entry.rotation
            print("\(ISO8601.string(rotation.createdAt))  \(rotation.id)  \(rotation.state.rawValue)  "
                  + "\(rotation.trigger.rawValue) by \(rotation.actor)\(rotation.reason.map { " — \($0)" } ?? "")")
            print("  \(entry.old?.display ?? "(none)") → \(entry.new?.display ?? "(none)")")
            // Progress notes (a deploy id while it ran) are journaled as `started` entries with a detail: skip them here.
            for step in entry.steps where step.step != "plan" && !(step.phase == "started" && step.detail != nil) {
                // The journal key, with what it did as people know it (the target's label) next to it.
                let label = playbook.map { $0.stepLabel(step.step) }.flatMap { $0 == step.step ? nil : " (\($0))" } ?? ""
                print("    \(ISO8601.string(step.at))  \(step.step.padding(toLength: 20, withPad: " ", startingAt: 0)) "
                      + "\(step.phase)\(label)\(step.phase == "failed" ? ": \(step.detail ?? "")" : "")")
            }
            if let error = rotation.error { print("  error: \(error)") }
        }
    }
}
