import ArgumentParser
import Foundation
import RotorApp
import RotorCore

extension AuditCommand {
    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "adopt",
            abstract: "Give audit rows without a valid MAC one under the chain key, when you know why they have none.",
            discussion: """
                Every audit row carries a MAC under the chain key (sealed with the master key). Rotor never adds MACs to
                existing rows by itself, except right after the upgrade that chained them: someone with write access to
                the database could otherwise edit rows, rebuild the hashes, delete the key and every MAC, and have the
                next start bless the edit. So rows end up without a valid MAC when the store was upgraded by a Rotor
                without the master key, when a process ran with another master key, or when the chain key was lost and
                a new one made — and `rotor audit verify` names the first of them.

                Adopt gives each such row a MAC under this store's chain key, but only when the hashes still link from
                the first row to the head (an edit the hashes show is refused). It is recorded as an `audit.adopted`
                row with your name and --reason. Before you run it, compare the head hash `rotor audit verify` prints
                with one you kept outside Rotor: adopting rows that someone rebuilt makes their edit permanent.
                It asks for confirmation on a terminal; scripts pass --yes.

                Examples:
                  rotor audit verify
                  rotor audit adopt --reason "store upgraded by rotor init without the master key, ticket SEC-31"
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "Why; recorded in the audit log.") var reason: String
        @Flag(help: "Confirm without asking (for scripts).") var yes = false
        @Flag(help: "Print JSON.") var json = false

        func validate() throws {
            if reason.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--reason must say why these rows have no valid MAC")
            }
        }

        func run() async throws {
            let adoption = try await RotorApp.with(global) { app -> AuditAdoption in
                let before = try await app.store.transaction { try $0.verifyAuditChain() }
                if before.intact && before.keyed {
                    return AuditAdoption(rowsAdopted: 0, firstAdopted: nil, lastAdopted: nil, headID: before.headID,
                                         headHash: before.headHash)
                }
                try Confirmation.require("Rotor will give every audit row without a valid MAC one under this store's chain key "
                                         + "(first problem now: \(before.firstBad.map { "row \($0.id.map(String.init) ?? "?"): \($0.problem)" } ?? "none")). "
                                         + "Do this only if you know why they have none.", yes: yes)
                let now = app.clock.now
                return try await app.store.transaction { try $0.adoptAuditRows(actor: RotorApp.actor, reason: reason, at: now) }
            }
            if json {
                print(JSONOutput.document(adoption))
            } else if adoption.rowsAdopted == 0 {
                print("\(Mark.ok) nothing to adopt: every row has a valid MAC")
            } else {
                print("\(Mark.ok) adopted \(adoption.rowsAdopted) row\(adoption.rowsAdopted == 1 ? "" : "s") (ids \(adoption.firstAdopted ?? 0)"
                      + "–\(adoption.lastAdopted ?? 0)); recorded as audit.adopted\n"
                      + "   hashes intact through row \(adoption.headID ?? 0), hash \(adoption.headHash ?? "")\n"
                      + "   Next: rotor audit verify")
            }
        }
    }
}
