import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Work with the audit log.",
        discussion: """
            Example:
              rotor audit export --format json --since 2026-01-01
            """,
        subcommands: [Export.self]
    )

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export every state change and key operation, one row each (CSV per RFC 4180, or JSON).",
            discussion: """
                Timestamps are UTC, ISO 8601. Versions appear by fingerprint and last 4 only. On standard output,
                control characters in values are shown escaped (\\n, \\e, …); --out keeps them as stored.

                Examples:
                  rotor audit export --out audit.csv
                  rotor audit export --format json --since 2026-01-01
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

        @OptionGroup var global: GlobalOptions
        @Option(help: "csv or json.") var format: Format = .csv
        @Option(help: "Only events at or after this time (ISO 8601).", transform: TimeText.parseArgument) var since: Date?
        @Option(help: "Only events before this time (ISO 8601).", transform: TimeText.parseArgument) var until: Date?
        @Option(help: "Write to this file (mode 0600) instead of standard output.") var out: String?

        func run() async throws {
            let events = try await RotorApp.with(global) { app in
                try await app.store.transaction { try $0.auditEvents(since: since, until: until, subject: nil, limit: nil) }
            }
            // On standard output control characters in reasons, actors and details are escaped (a terminal would
            // act on them); a file written with --out keeps every value as stored. JSON escapes them either way.
            let text = format == .csv ? AuditExport.csv(events, value: out == nil ? TerminalText.safe : { $0 })
                : JSONOutput.string(events.map(AuditExport.Row.init)) + "\n"
            if let out {
                guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
                    throw CLIError("cannot write \(out); check that its folder exists and is writable")
                }
                FileHandle.standardError.write(Data("wrote \(events.count) events to \(out)\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }
}
