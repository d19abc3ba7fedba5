import ArgumentParser
import Foundation
import RotorCrypto

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

            Environment:
              ROTOR_HOME          state directory (default ./.rotor)
              ROTOR_STORE         sqlite:PATH or postgres://user:pass@host/db
              ROTOR_MASTER_KEY    base64 of 32 bytes (else ROTOR_HOME/master.key)
              ROTOR_PLAYBOOKS     playbook folder (default ./Playbooks)
            """,
        version: RotorVersion.string,
        subcommands: [
            InitCommand.self, DoctorCommand.self, VersionCommand.self, RekeyCommand.self, BackupCommand.self,
            ValidateCommand.self, PlanCommand.self, ImportCommand.self, RotateCommand.self, RollbackCommand.self, ResolveCommand.self,
            StatusCommand.self, HistoryCommand.self, TickCommand.self, KeysCommand.self, AuditCommand.self, SandboxCommand.self,
            SkipCommand.self, EmergencyCommand.self, ComplianceCommand.self, ScheduleCommand.self, RunCommand.self, ServeCommand.self, NotificationsCommand.self,
            SupplyCommand.self,
        ]
    )

    /// ArgumentParser's entry point, except that a usage error of `tick` exits 2: cron jobs and scripts tell
    /// "the pass found a failure" (1) from "the command line or configuration is wrong" (2).
    static func main() async {
        CryptoLibrary.initializeWithoutExitCleanup()
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure, CommandLine.arguments.dropFirst().first == "tick" {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
