import ArgumentParser
import Foundation
import RotorCore

struct RotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Rotate SECRET now: generate, propagate, verify; the old value stays valid through grace.",
        discussion: """
            Prints each step as it happens. Exit status 0 when the new value is live and verified (the rotation is in grace), 1 when it rolled back or failed. `rotor tick` revokes the old value once the grace period has ended.

            Examples:
              rotor rotate openai-api-key --reason "quarterly rotation"
              rotor rotate openai-api-key --grace 1h
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.") var secret: String
    @Option(help: "Why; recorded in the audit log.") var reason: String?
    @Option(help: "Grace period, e.g. 24h or 0s; default: the playbook's.", transform: DurationText.parseArgument)
    var grace: Duration?
    @Flag(help: "Print the outcome as JSON (steps are not printed).") var json = false

    func run() async throws {
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let outcome = try await RotorContext.with(global) { context in try await rotate(context, observer: observer) }
        if json { print(JSONOutput.string(OutcomeJSON(outcome))) }
        if !outcome.succeeded { throw ExitCode.failure }
    }

    private func rotate(_ context: RotorContext, observer: @escaping @Sendable (RunnerEvent) -> Void) async throws -> RotationOutcome {
        let playbook = try context.playbook(secret, in: context.loadPlaybooks())
        let request = RotationRunner.Request(trigger: .manual, actor: RotorContext.actor, reason: reason, grace: grace)
        return try await context.runner(observer: observer).rotate(playbook, request)
    }
}

/// Prints runner events as the operator reads them.
enum StepPrinter {
    static let silent: @Sendable (RunnerEvent) -> Void = { _ in }
    static let printer: @Sendable (RunnerEvent) -> Void = { print($0) }

    static func print(_ event: RunnerEvent) {
        switch event {
        case .rotationStarted(let id, let secret):
            Swift.print("🔄 rotating \(secret) (\(id))")
        case .resumed(let id, let state):
            Swift.print("⏯  resuming interrupted rotation \(id) (\(state.rawValue))")
        case .stepSucceeded(let step, let message):
            Swift.print("\(step.isUndo ? "↩️ " : "✅") \(message)")
        case .stepFailed(_, let message):
            Swift.print("❌ \(message)")
        case .finished(let state, let message):
            switch state {
            case .completed: Swift.print("🏁 \(message)")
            case .rolledBack: Swift.print("↩️  \(message)")
            case .failed: Swift.print("🚨 \(message)")
            default: Swift.print("⚠️  \(message)")
            }
        }
    }
}

/// The JSON form of a rotation's outcome.
struct OutcomeJSON: Encodable {
    var rotation: RotationSummary
    var old: SecretVersionSummary?
    var new: SecretVersionSummary?
    var succeeded: Bool

    init(_ outcome: RotationOutcome) {
        rotation = RotationSummary(outcome.rotation, lastStep: outcome.journal.last)
        old = outcome.oldVersion
        new = outcome.newVersion
        succeeded = outcome.succeeded
    }
}
