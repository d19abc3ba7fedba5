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
            Uses the playbook's emergency_grace (default 4h) unless --grace is given; --revoke-immediately revokes the old credential as soon as the new one is verified (it asks for confirmation on a terminal; scripts pass --yes). The playbook's channels get an urgent alert. The emergency takes over: during a grace period it revokes the old value now (or after --grace); a rotation in flight is rolled back first (refused while another live process drives it). A secret Rotor never imported is refused: import the value in use first. For a customer key give --key KEY_ID or --prefix rk_live_abcd instead of a secret: its successor goes to the customer's pickup slot and the org is told.

            Examples:
              rotor emergency openai-api-key --reason "key pasted in a public issue" --revoke-immediately --yes
              rotor emergency --prefix rk_live_a1B2 --reason "leaked in a mobile app build"
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name (or use --key / --prefix for a customer key).", completion: SecretNameCompletion.kind) var secret: String?
    @Option(help: "A customer key id (key_…).") var key: String?
    @Option(help: "A customer key's display prefix (rk_live_ and 4 characters).") var prefix: String?
    @Option(help: "Why; recorded in the audit log.") var reason: String
    @Option(help: "Grace for the old credential, e.g. 1h or 0s.", transform: DurationText.parseArgument) var grace: Duration?
    @Flag(name: .customLong("revoke-immediately"), help: "Revoke the old credential as soon as the new one is verified.")
    var revokeImmediately = false
    @Flag(help: "Confirm --revoke-immediately without asking (for scripts).") var yes = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        let given = [secret != nil, key != nil, prefix != nil].filter { $0 }.count
        if given != 1 { throw ValidationError("name exactly one of: a secret, --key KEY_ID, --prefix rk_live_…") }
    }

    func run() async throws {
        if revokeImmediately {
            try Confirmation.require("--revoke-immediately revokes the old value as soon as the new one is verified: "
                                     + "anything still using it breaks at once.", yes: yes)
        }
        if let secret {
            try await rotateSecret(secret)
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

    /// The emergency of a playbook secret: takes over whatever the secret is doing (see ``EmergencyService``).
    private func rotateSecret(_ secret: String) async throws {
        let started = Date()
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let (plan, outcome) = try await RotorApp.with(global) { app -> (EmergencyService.Plan, RotationOutcome) in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            let service = app.emergencies(observer: observer)
            let plan = try await service.plan(playbook)
            let request = EmergencyService.Request(actor: RotorApp.actor, reason: reason, grace: grace,
                                                   revokeImmediately: revokeImmediately)
            return (plan, try await service.carryOut(plan, playbook: playbook, request: request))
        }
        let seconds = Date().timeIntervalSince(started)
        if json {
            print(JSONOutput.string(OutcomeJSON(outcome)))
        } else if plan.kind == .revokeOld {
            let old = outcome.oldVersion?.display ?? "the old value"
            switch outcome.rotation.state {
            case .completed: print("🚨 emergency on \(TerminalText.safe(secret)): \(old) is revoked at the vendor now (rotation \(outcome.rotation.id))")
            case .grace: print("🚨 emergency on \(TerminalText.safe(secret)): \(old) will be revoked at \(outcome.rotation.graceEndsAt.map(ISO8601.string) ?? "the grace end")")
            default: print("🚨 emergency on \(TerminalText.safe(secret)): \(old) is NOT revoked yet: \(outcome.rotation.error ?? outcome.rotation.state.rawValue); "
                           + "revoke it at the vendor by hand, then `rotor resolve \(secret) --revoked-manually --reason …`")
            }
        } else if outcome.succeeded {
            print(String(format: "🚨 emergency rotation of %@: new key live and verified on every target in %.1f s", TerminalText.safe(secret), seconds))
        }
        let done: Set<RotationState> = plan.kind == .revokeOld ? [.completed, .grace] : [.grace, .revoking, .completed]
        if !done.contains(outcome.rotation.state) { throw ExitCode.failure }
    }
}
