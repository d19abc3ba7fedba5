import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorKeyTable

struct EmergencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emergency",
        abstract: "A key leaked: rotate it now, ignoring windows and skips, with a short grace.",
        discussion: """
            Uses the playbook's emergency_grace (default 4h) unless --grace is given; --revoke-immediately revokes the old credential as soon as the new one is verified. Notifications are marked urgent. For a customer key give --key KEY_ID or --prefix rk_live_abcd instead of a secret: its successor goes to the customer's pickup slot and the org is told.

            Examples:
              rotor emergency openai-api-key --reason "key pasted in a public issue" --revoke-immediately
              rotor emergency --prefix rk_live_a1B2 --reason "leaked in a mobile app build"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name (or use --key / --prefix for a customer key).") var secret: String?
    @Option(help: "A customer key id (key_…).") var key: String?
    @Option(help: "A customer key's display prefix (rk_live_ and 4 characters).") var prefix: String?
    @Option(help: "Why; recorded in the audit log.") var reason: String
    @Option(help: "Grace for the old credential, e.g. 1h or 0s.", transform: DurationText.parseArgument) var grace: Duration?
    @Flag(name: .customLong("revoke-immediately"), help: "Revoke the old credential as soon as the new one is verified.")
    var revokeImmediately = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        let given = [secret != nil, key != nil, prefix != nil].filter { $0 }.count
        if given != 1 { throw ValidationError("name exactly one of: a secret, --key KEY_ID, --prefix rk_live_…") }
    }

    func run() async throws {
        let started = Date()
        if let secret {
            let observer = json ? StepPrinter.silent : StepPrinter.printer
            let outcome = try await RotorApp.with(global) { app -> RotationOutcome in
                let playbook = try app.playbook(secret, in: app.loadPlaybooks())
                let request = RotationRunner.Request(trigger: .emergency, actor: RotorApp.actor, reason: reason,
                                                     grace: grace ?? playbook.emergencyGrace, revokeImmediately: revokeImmediately)
                return try await app.runner(observer: observer).rotate(playbook, request)
            }
            let seconds = Date().timeIntervalSince(started)
            if json {
                print(JSONOutput.string(OutcomeJSON(outcome)))
            } else if outcome.succeeded {
                print(String(format: "🚨 emergency rotation of %@: new key live and verified on every target in %.1f s", TerminalText.safe(secret), seconds))
            }
            if !outcome.succeeded { throw ExitCode.failure }
            return
        }
        let rotation = try await KeysCommand.withKeyTable(global) { table, _ -> KeyTable.Rotation in
            let id: String
            if let key {
                id = key
            } else {
                let matches = try await table.keys(prefix: prefix!).filter { $0.status == .active }
                guard matches.count == 1 else {
                    throw CLIError(matches.isEmpty ? "no active key with prefix \(TerminalText.safe(prefix!))"
                                   : "\(matches.count) active keys share prefix \(TerminalText.safe(prefix!)): \(matches.map(\.id).joined(separator: ", ")); use --key")
                }
                id = matches[0].id
            }
            return try await table.rotate(id: id, grace: revokeImmediately ? .zero : grace, trigger: .emergency,
                                          actor: RotorApp.actor, reason: reason, deliverByPickup: true)
        }
        if json {
            print(JSONOutput.string(["old": KeysCommand.KeyJSON(rotation.old), "new": KeysCommand.KeyJSON(rotation.new)]))
        } else {
            print("🚨 \(rotation.old.id) (\(rotation.old.prefix)…\(rotation.old.last4)) replaced by \(rotation.new.id); "
                  + "the old key works until \(ISO8601.string(rotation.graceEndsAt)); the org was told and can claim the new key")
        }
    }
}
