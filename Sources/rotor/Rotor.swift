import ArgumentParser

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
            ValidateCommand.self, PlanCommand.self, ImportCommand.self, RotateCommand.self, RollbackCommand.self,
            StatusCommand.self, HistoryCommand.self, TickCommand.self, KeysCommand.self, AuditCommand.self, SandboxCommand.self,
            SkipCommand.self, EmergencyCommand.self, ComplianceCommand.self, ScheduleCommand.self, RunCommand.self, ServeCommand.self, NotificationsCommand.self,
        ]
    )
}
