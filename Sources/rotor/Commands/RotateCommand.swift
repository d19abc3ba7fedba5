import ArgumentParser
import Foundation
import RotorApp
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
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Option(help: "Why; recorded in the audit log.") var reason: String?
    @Option(help: "Grace period, e.g. 24h or 0s; default: the playbook's.", transform: DurationText.parseArgument)
    var grace: Duration?
    @Flag(help: "Print the outcome as JSON (steps are not printed).") var json = false

    func run() async throws {
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let outcome = try await RotorApp.with(global) { app in try await rotate(app, observer: observer) }
        if json {
            print(JSONOutput.document(OutcomeJSON(outcome)))
        } else {
            StepPrinter.printQuietResult(outcome, secret: secret)
        }
        // A manual source's rotation waits for the owner's value: asked for, not failed.
        if !outcome.succeeded && !outcome.rotation.state.waitsForPerson { throw ExitCode.failure }
    }

    private func rotate(_ app: RotorApp, observer: @escaping @Sendable (RunnerEvent) -> Void) async throws -> RotationOutcome {
        let playbook = try app.playbook(secret, in: app.loadPlaybooks())
        let request = RotationRunner.Request(trigger: .manual, actor: RotorApp.actor, reason: reason, grace: grace)
        return try await app.runner(observer: observer).rotate(playbook, request)
    }
}
