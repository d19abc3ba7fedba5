import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "A way out of a stuck rotation: retry it now, or close a revoke that keeps failing.",
        discussion: """
            --retry drives SECRET's stuck rotation again now: retries a stalled revoke, resumes an interrupted rotation, retries a failed undo. --revoked-manually closes a rotation stalled in `revoking` (the source's revoke keeps failing) after you revoked the old value at the vendor by hand; it is audited with your name and --reason. For a `manual` source it is how the owner confirms, after grace, that the old key was revoked (or expired) at the vendor; when the playbook has a revoke_check, Rotor runs it first and completes the rotation only if the old key is refused. It asks for confirmation on a terminal; scripts pass --yes (without it, a command whose standard input is not a terminal refuses).

            Examples:
              rotor resolve openai-api-key --retry
              rotor resolve openai-api-key --revoked-manually --reason "revoked in the vendor dashboard, ticket SEC-12"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Flag(name: .customLong("revoked-manually"), help: "The old value was revoked at the vendor by hand.") var revokedManually = false
    @Flag(help: "Drive the stuck rotation again now.") var retry = false
    @Option(help: "Why; recorded in the audit log (required with --revoked-manually).") var reason: String?
    @Flag(help: "Confirm without asking (for scripts).") var yes = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if revokedManually == retry { throw ValidationError("give exactly one of --revoked-manually and --retry") }
        if revokedManually, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--revoked-manually needs --reason: say how and where the old value was revoked")
        }
    }

    func run() async throws {
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let result = try await RotorApp.with(global) { app -> ResolveService.Result in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            let resolver = app.resolver(observer: observer)
            let action: ResolveService.Action
            if revokedManually {
                let stuck = try await resolver.stuckRotation(secret)
                try Confirmation.require(playbook.hasRevokeCheck
                    ? "Rotor will record that you say the old value of \(secret) is revoked (rotation \(stuck?.id ?? "?")), run "
                        + "its revoke_check now, and complete the rotation if the vendor refuses the old value."
                    : "Rotor will record that the old value of \(secret) (rotation \(stuck?.id ?? "?")) "
                        + "was revoked at the vendor by hand, and stop trying to revoke it.", yes: yes)
                action = .revokedManually(reason: reason ?? "")
            } else {
                action = .retry
            }
            return try await resolver.resolve(playbook, action, actor: RotorApp.actor)
        }
        if json {
            print(JSONOutput.document(result))
        } else {
            print("\(result.error == nil ? Mark.ok : Mark.failed) \(secret): rotation \(result.rotationID) is \(result.state)"
                  + (result.error.map { " (\($0))" } ?? ""))
        }
        if result.error != nil { throw ExitCode.failure }
    }
}
