import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve the next stage of SECRET's rotation waiting in awaiting_approval (a stage marked `approve: true`).",
        discussion: """
            The earlier stages already hold the new value and passed their checks; approving writes it to the waiting stage's targets and runs its checks, here in this process, then any later stages, then grace as usual. A failure rolls every stage back. It asks for confirmation on a terminal; scripts pass --yes (without it, a command whose standard input is not a terminal refuses). The approval is audited with your name. To stop instead: rotor resolve SECRET --cancel --reason "…". Exit status 0 when the rotation went live (or waits for the next approval), 1 otherwise.

            Examples:
              rotor approve openai-api-key
              rotor approve openai-api-key --yes --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Flag(help: "Confirm without asking (for scripts).") var yes = false
    @Flag(help: "Print the outcome as JSON (steps are not printed).") var json = false

    func run() async throws {
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let outcome = try await RotorApp.with(global) { app -> RotationOutcome in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            let approvals = app.approvals(observer: observer)
            do {
                let waiting = try await approvals.waiting(playbook)
                try Confirmation.require("Rotor will write the new value of \(secret) to stage \(waiting.stageName) "
                                         + "(rotation \(waiting.rotation.id)). " + ApprovalRequest.summary(playbook, stage: waiting.stage),
                                         yes: yes)
                return try await approvals.approve(playbook, rotationID: waiting.rotation.id, stage: waiting.stage, actor: RotorApp.actor)
            } catch let error as ApprovalError {
                throw CLIError(error.description)
            }
        }
        if json { print(JSONOutput.document(OutcomeJSON(outcome))) }
        if !outcome.succeeded && outcome.rotation.state != .awaitingApproval { throw ExitCode.failure }
    }
}
