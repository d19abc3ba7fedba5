import CSQLite
import Foundation
import RotorCore

/// `rotor backup`: a consistent copy of a SQLite store, made with SQLite's online backup API while daemons
/// may be writing; for PostgreSQL, the `pg_dump` command to run instead (Rotor does not reimplement it).
public enum StoreBackup {
    /// What a backup produced.
    public enum Outcome: Sendable, Equatable {
        /// The SQLite database was copied to this file (mode 0600).
        case copied(path: String, pages: Int)
        /// A PostgreSQL store: run this command (password shown as `***`).
        case postgresCommand(String)
    }

    /// Backs up the store at `storeURL` into `destination`, which must not exist yet.
    public static func backup(storeURL: String, to destination: String) throws -> Outcome {
        switch try StoreURL(parsing: storeURL) {
        case .postgres:
            let redacted = try StoreURL(parsing: storeURL).description
            return .postgresCommand("pg_dump --format=custom --no-owner --file=\(shellQuoted(destination)) \(shellQuoted(redacted))")
        case .sqlite(let path):
            return .copied(path: destination, pages: try copySQLite(from: path, to: destination))
        }
    }

    private static func copySQLite(from source: String, to destination: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: source) else {
            throw StoreError.connectionFailed("no SQLite store at \(source); run `rotor init` first")
        }
        // Mode 0600 from the first instant: the copy holds every sealed value and the audit log.
        let descriptor = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists; choose a new file name" : String(cString: strerror(errno))
            throw StoreError.connectionFailed("cannot create backup file \(destination): \(reason)")
        }
        fchmod(descriptor, 0o600)
        close(descriptor)
        do {
            return try runBackup(from: source, to: destination)
        } catch {
            unlink(destination)
            throw error
        }
    }

    private static func runBackup(from source: String, to destination: String) throws -> Int {
        var sourceDB: OpaquePointer?
        var targetDB: OpaquePointer?
        defer {
            sqlite3_close_v2(sourceDB)
            sqlite3_close_v2(targetDB)
        }
        guard sqlite3_open_v2(source, &sourceDB, SQLITE_OPEN_READONLY, nil) == SQLITE_OK, let sourceDB else {
            throw StoreError.connectionFailed("cannot open SQLite store \(source): \(message(sourceDB))")
        }
        sqlite3_busy_timeout(sourceDB, 5000)
        guard sqlite3_open_v2(destination, &targetDB, SQLITE_OPEN_READWRITE, nil) == SQLITE_OK, let targetDB else {
            throw StoreError.connectionFailed("cannot open backup file \(destination): \(message(targetDB))")
        }
        guard let backup = sqlite3_backup_init(targetDB, "main", sourceDB, "main") else {
            throw StoreError.connectionFailed("cannot start the backup: \(message(targetDB))")
        }
        var rc: Int32
        repeat {
            // All pages in one step; a writer in another process holding the lock makes it BUSY: wait and retry.
            rc = sqlite3_backup_step(backup, -1)
            if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { sqlite3_sleep(50) }
        } while rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED
        let pages = Int(sqlite3_backup_pagecount(backup))
        let finish = sqlite3_backup_finish(backup)
        guard rc == SQLITE_DONE, finish == SQLITE_OK else {
            throw StoreError.connectionFailed("the backup of \(source) failed: \(String(cString: sqlite3_errstr(rc == SQLITE_DONE ? finish : rc)))")
        }
        return pages
    }

    private static func message(_ db: OpaquePointer?) -> String {
        db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
    }

    private static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
