import ArgumentParser
import Foundation
import RotorCrypto
#if canImport(SwiftGlibc)
@preconcurrency import SwiftGlibc
#endif

@main
struct Rotor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotor",
        abstract: "Rotates secrets on schedule: generate, propagate, verify, grace, revoke — with rollback.",
        discussion: """
            A new value is sealed before any target sees it; the old one is revoked
            only after every target holds the new one and every check passed; a
            failed check puts everything back.

            First run:
              rotor init          create ROTOR_HOME: master key and store
              rotor doctor        check that both are usable
              rotor sandbox       try it against local Vercel/Render emulators

            Global options (--home, --store, --playbooks, --config) go before or
            after the subcommand: `rotor --home /srv/rotor status` is `rotor status
            --home /srv/rotor`. A flag beats the environment, which beats rotor.yml.

            Environment:
              ROTOR_HOME          state directory (default ./.rotor)
              ROTOR_STORE         sqlite:PATH or postgres://user:pass@host/db
              ROTOR_MASTER_KEY    base64 of 32 bytes (else ROTOR_HOME/master.key)
              ROTOR_PLAYBOOKS     playbook folder (default ./Playbooks)
              ROTOR_CONFIG        rotor.yml (default ./rotor.yml if it exists)
              ROTOR_LISTEN        HOST:PORT for serve and run (over rotor.yml's server.listen)
              ROTOR_LOG_LEVEL     debug, info, notice, warning (default), error
              ROTOR_LOG_FORMAT    text (default) or json: one object per line
              NO_COLOR            set (non-empty): no colour and no emoji, even on a terminal
                                  (TERM=dumb too; pipes and files never get them)

            Scripting: read commands and the write commands that report a result take
            --json (snake_case keys, RFC 3339 UTC times, a schema_version); --quiet prints
            only errors and the result, --verbose logs at debug level to standard error.

            \(ExitStatus.table)

            Examples:
              rotor --home /srv/rotor status
              rotor status --home /srv/rotor --json
              source <(rotor --generate-completion-script bash)
            """,
        version: RotorVersion.string,
        subcommands: [
            InitCommand.self, DoctorCommand.self, VersionCommand.self, RekeyCommand.self, BackupCommand.self,
            ValidateCommand.self, PlanCommand.self, ImportCommand.self, RotateCommand.self, RollbackCommand.self, ResolveCommand.self,
            StatusCommand.self, HistoryCommand.self, TickCommand.self, KeysCommand.self, AuditCommand.self, SandboxCommand.self,
            SkipCommand.self, EmergencyCommand.self, ComplianceCommand.self, ScheduleCommand.self, RunCommand.self, ServeCommand.self, NotificationsCommand.self,
            SupplyCommand.self, ReportCommand.self,
        ]
    )

    /// ArgumentParser's entry point, with global options accepted before the subcommand (``GlobalArgumentOrder``)
    /// and one exit status table for every command (``ExitStatus``): a usage error exits 2, not ArgumentParser's
    /// 64, so scripts tell "the operation failed" (1) from "the command line or configuration is wrong" (2).
    static func main() async {
        CryptoLibrary.initializeWithoutExitCleanup()
        // Line-buffered even into a pipe or journald, so that a daemon's start-up line shows at once.
        setvbuf(stdout, nil, _IOLBF, 0)
        let arguments = GlobalArgumentOrder.reorder(Array(CommandLine.arguments.dropFirst()), root: Rotor.self)
        do {
            var command = try await asyncParseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            // --help, --version: ArgumentParser prints them to standard output and exits 0.
            if code == .success { exit(withError: error) }
            let message = fullMessage(for: error)
            if !message.isEmpty { Console.error(message) }
            Foundation.exit(status(for: error, code: code))
        }
    }

    /// The exit status of a command that threw `error` (ArgumentParser's `code` for it).
    static func status(for error: any Error, code: ExitCode) -> Int32 {
        if let error = error as? CLIError { return error.status }
        if code == .validationFailure { return ExitStatus.usage }
        return code.rawValue
    }
}
