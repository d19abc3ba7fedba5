import ArgumentParser
import Foundation
import RotorApp
import RotorStore

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to FILE (SQLite, while daemons run); for PostgreSQL, print the pg_dump command.",
        discussion: """
            The backup holds sealed values only: the master key is NOT in it. Keep master.key (or \
            ROTOR_MASTER_KEY) separately; a backup without its key cannot be read.

            Restore (SQLite): stop Rotor, copy FILE to the store path (ROTOR_HOME/rotor.db), put the master key \
            back, run `rotor doctor`. See README "Operations".

            Examples:
              rotor backup /var/backups/rotor-$(date +%F).db
              rotor backup dump.sql --store postgres://rotor@db/rotor   # prints the pg_dump command
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file to create (must not exist).") var file: String

    func run() async throws {
        let options = global.appOptions()
        switch try StoreBackup.backup(storeURL: options.storeURL, to: file) {
        case .copied(let path, let pages):
            print("✅ backup: \(path) (mode 0600, \(pages) pages) from \(StoreURLDisplay.redacted(options.storeURL))")
        case .postgresCommand(let command):
            print("PostgreSQL store: back it up with pg_dump (put the password in ~/.pgpass or PGPASSWORD, not on the command line):")
            print("  \(command)")
            print("Restore: pg_restore --no-owner --dbname=URL FILE into an empty database, then `rotor doctor`.")
        }
        print("⚠️  The master key is NOT in the backup. Keep \(options.masterKeyFromEnvironment ? "ROTOR_MASTER_KEY" : options.masterKeyPath) "
              + "separately: without it the backup cannot be read.")
    }
}
