import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the audit log.",
        discussion: """
            Examples:
              rotor audit export --format json --since 2026-01-01
              rotor audit verify
            """,
        subcommands: [Export.self, Verify.self, Adopt.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export every state change and key operation, one row each (CSV per RFC 4180, or JSON Lines).",
            discussion: """
                Timestamps are UTC, RFC 3339. Versions appear by fingerprint and last 4 only. Each row carries its place in
                the audit hash chain (id, at_ms, prev_hash, hash): `rotor audit verify --file` checks a whole export offline. --json (or --format json)
                writes JSON Lines: one event per line, an object with the CSV's columns as keys and schema_version,
                so a large log streams and `jq -s` makes an array of it. On standard output,
                control characters in values are shown escaped (\\n, \\e, …); --out keeps them as stored.

                Examples:
                  rotor audit export --out audit.csv
                  rotor audit export --json --since 2026-01-01 | jq -c 'select(.action == "rotation.started")'
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        @OptionGroup var global: GlobalOptions
        @Option(help: "csv, or json (JSON Lines).") var format: Format = .csv
        @Flag(help: "Print JSON Lines: the same as --format json.") var json = false
        @Option(help: "Only events at or after this time (ISO 8601).", transform: TimeText.parseArgument) var since: Date?
        @Option(help: "Only events before this time (ISO 8601).", transform: TimeText.parseArgument) var until: Date?
        @Option(help: "Write to this file (mode 0600) instead of standard output.") var out: String?

        func run() async throws {
            let events = try await RotorApp.with(global) { app in
                try await app.store.transaction { try $0.chainedAuditEvents(since: since, until: until) }
            }
            // On standard output control characters in reasons, actors and details are escaped (a terminal would
            // act on them); a file written with --out keeps every value as stored. JSON escapes them either way.
            let text = format == .csv && !json ? AuditExport.csv(chained: events, value: out == nil ? TerminalText.safe : { $0 })
                : events.map { JSONOutput.line(AuditExport.Row($0)) + "\n" }.joined()
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw CLIError("cannot write \(out); check that its folder exists and is writable")
                }
                if !Console.isQuiet { FileHandle.standardError.write(Data("wrote \(events.count) events to \(out)\n".utf8)) }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
