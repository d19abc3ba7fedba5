import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Roll back SECRET's active rotation (possible until the old value's revocation begins).",
        discussion: "Example:\n  rotor rollback openai-api-key --reason \"error rate up after rotation\""
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Option(help: "Why; recorded in the audit log.") var reason: String

    func run() async throws {
        let outcome = try await RotorApp.with(global) { app in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            guard let active = try await app.store.transaction({ try $0.activeRotation(secretName: secret) }) else {
                throw CLIError("\(secret) has no active rotation to roll back (see `rotor status \(secret)`)")
            }
            return try await app.runner(observer: StepPrinter.printer)
                .drive(rotationID: active.id, playbook: playbook, entry: .rollback(reason: "operator: \(reason)"))
        }
        if outcome.rotation.state != .rolledBack { throw ExitCode.failure }
    }
}
