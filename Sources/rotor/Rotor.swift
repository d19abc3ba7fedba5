import ArgumentParser

@main
struct Rotor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotor",
        abstract: "Rotates secrets on schedule: generate, propagate, verify, grace, revoke — with rollback.",
        discussion: """
            Rotor keeps every secret's new value sealed before any target sees it, checks that services
            still work before the old value is revoked, and puts everything back when a check fails.

            First run:
              rotor init          create ROTOR_HOME with a master key and the store
              rotor doctor        check that the store and the master key are usable

            Environment:
              ROTOR_HOME          state directory (default ./.rotor)
              ROTOR_STORE         sqlite:PATH (default sqlite:$ROTOR_HOME/rotor.db) or postgres://user:pass@host:port/db
              ROTOR_MASTER_KEY    base64 of 32 bytes; overrides $ROTOR_HOME/master.key
            """,
        version: RotorVersion.string,
        subcommands: [
            InitCommand.self, DoctorCommand.self, VersionCommand.self,
            ValidateCommand.self, PlanCommand.self, ImportCommand.self, RotateCommand.self, RollbackCommand.self,
            StatusCommand.self, HistoryCommand.self, TickCommand.self, KeysCommand.self, AuditCommand.self, SandboxCommand.self,
            SkipCommand.self, EmergencyCommand.self, ComplianceCommand.self, ScheduleCommand.self, RunCommand.self, ServeCommand.self, NotificationsCommand.self,
        ]
    )
}
