import ArgumentParser
import Foundation
import RotorApp
import RotorCore

extension AuditCommand {
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check the audit log's hash chain and name the first edited, deleted, inserted or reordered row.",
            discussion: """
                Every audit row holds the SHA-256 of the row before it and of its own content, and a MAC under a key sealed
                with the master key. Verify recomputes them all, in id order, and stops at the first row that does not
                match. Exit 0 when the chain is intact, 1 when it is broken.

                It prints the head: the id and hash of the newest row. Keep it (in a ticket, a log elsewhere): a head
                hash that later appears again with more rows after it proves nothing before it was changed.

                --file checks an export (`rotor audit export`, JSON Lines or CSV written with --out) offline, without the
                master key: hashes only, and the head to compare with the one printed here.

                Examples:
                  rotor audit verify
                  rotor audit verify --json
                  rotor audit export --json --out audit.jsonl && rotor audit verify --file audit.jsonl
                """
        )

        @OptionGroup var global: GlobalOptions
        @Option(help: "Verify this export instead of the store (offline: no master key needed).") var file: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let result: AuditChainVerification
            if let file {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CLIError("cannot read \(file); check the path and its permissions")
                }
                result = AuditChainFile.verify(data)
            } else {
                result = try await RotorApp.with(global) { app in try await app.store.transaction { try $0.verifyAuditChain() } }
            }
            if json {
                print(JSONOutput.document(VerificationJSON(result, source: file == nil ? "store" : "file")))
            } else {
                print(Self.text(result, offline: file != nil))
            }
            if !result.intact { throw ExitCode.failure }
        }

        static func text(_ result: AuditChainVerification, offline: Bool) -> String {
            let head = result.headID.map { "row \($0), hash \(result.headHash ?? "")" } ?? "none (no rows)"
            guard let bad = result.firstBad else {
                let checked = result.keyed ? "every hash and MAC checked" : "every hash checked (no MACs: " + (offline
                    ? "an export is checked without the chain key)" : "this Rotor holds no chain key)")
                return "\(Mark.ok) audit chain intact: \(result.rowsChecked) row\(result.rowsChecked == 1 ? "" : "s"), \(checked)\n"
                    + "   head: \(head)" + (offline ? "\n   Compare it with the head `rotor audit verify` printed on the server." : "")
            }
            let row = bad.id.map { "row \($0)" } ?? "the file"
            let at = bad.at.map { " (\(ISO8601.string($0)))" } ?? ""
            return "\(Mark.failed) audit chain broken at \(row)\(at): \(bad.problem)\n"
                + "   the rows before it are intact; last good: \(head)"
        }
    }

    /// `rotor audit verify --json`.
    struct VerificationJSON: Encodable {
        struct Head: Encodable { let id: Int64; let hash: String }
        struct BadRow: Encodable { let id: Int64?; let at: Date?; let problem: String }
        let source: String
        let intact: Bool
        let rowsChecked: Int
        let keyed: Bool
        let head: Head?
        let firstBad: BadRow?

        init(_ result: AuditChainVerification, source: String) {
            self.source = source
            intact = result.intact
            rowsChecked = result.rowsChecked
            keyed = result.keyed
            head = result.headID.map { Head(id: $0, hash: result.headHash ?? "") }
            firstBad = result.firstBad.map { BadRow(id: $0.id, at: $0.at, problem: $0.problem) }
        }
    }
}
