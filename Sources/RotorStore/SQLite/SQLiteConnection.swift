import CSQLite
import Foundation
import RotorCore

/// A SQLite database connection, used by one thread at a time (the ``ConnectionThread`` that opened it).
///
/// Opened in WAL mode with `synchronous=NORMAL` (durable across application crashes, and fast), a 5 s busy
/// timeout for writers in other processes, and foreign keys enforced. Prepared statements are cached by SQL text.
final class SQLiteConnection: SQLConnection {
    let dialect = SQLDialect.sqlite
    private let path: String
    private var db: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    private static let statementCacheLimit = 256

    /// Opens (creating if needed, with mode 0600) the database file at `path`.
    init(path: String) throws {
        self.path = path
        try Self.createPrivateFile(at: path)
        var handle: OpaquePointer?
        // NOMUTEX: this connection is only ever used by one thread at a time, so SQLite's own mutex is useless.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(handle)
            throw StoreError.connectionFailed("cannot open SQLite database \(path): \(message)")
        }
        db = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5000)
        do {
            // Switching a fresh file to WAL needs the database to itself, and SQLite may answer SQLITE_BUSY at once
            // (without its busy handler) while another connection is opening or migrating the same file: retry
            // for up to the busy timeout. This runs on the connection's own thread, never the cooperative pool.
            var attempt = 0
            while true {
                do {
                    try executeScript("PRAGMA journal_mode=WAL;")
                    break
                } catch where attempt < 50 && sqlite3_errcode(handle) & 0xFF == SQLITE_BUSY {
                    attempt += 1
                    usleep(100_000)
                }
            }
            try executeScript("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            let mode = try execute("PRAGMA journal_mode").rows.first.flatMap { try? $0.text("journal_mode") }
            guard mode?.lowercased() == "wal" else {
                throw StoreError.connectionFailed("SQLite database \(path) could not be switched to WAL mode (it is in \(mode ?? "an unknown") mode); is it on a network file system?")
            }
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> SQLResult {
        let statement = try prepared(sql)
        defer {
            sqlite3_reset(statement)
            sqlite3_clear_bindings(statement)
        }
        for (offset, value) in parameters.enumerated() {
            try bind(value, at: Int32(offset + 1), in: statement)
        }
        var rows: [SQLRow] = []
        var columns: SQLRow.Columns?
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(rc, doing: "run a statement") }
            let count = sqlite3_column_count(statement)
            let names = columns ?? SQLRow.Columns((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) })
            columns = names
            rows.append(SQLRow(columns: names, values: (0..<count).map { column(at: $0, of: statement) }))
        }
        let changed = sqlite3_stmt_readonly(statement) != 0 ? 0 : Int(sqlite3_changes(db))
        return SQLResult(rows: rows, affectedRows: changed)
    }

    func executeScript(_ sql: String) throws {
        guard let db else { throw StoreError.connectionFailed("the SQLite connection to \(path) is closed") }
        let rc = sqlite3_exec(db, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc, doing: "run a script") }
    }

    func ensureUsable() throws {
        guard db != nil else { throw StoreError.connectionFailed("the SQLite connection to \(path) is closed") }
    }

    func close() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    // MARK: - Statements

    private func prepared(_ sql: String) throws -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        // Queries with IN lists vary in text; keep the cache bounded rather than growing with every list length.
        if statements.count >= Self.statementCacheLimit {
            for statement in statements.values { sqlite3_finalize(statement) }
            statements.removeAll()
        }
        guard let db else { throw StoreError.connectionFailed("the SQLite connection to \(path) is closed") }
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc, doing: "prepare a statement") }
        statements[sql] = statement
        return statement
    }

    private func bind(_ value: SQLValue, at index: Int32, in statement: OpaquePointer) throws {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(statement, index)
        case .int(let number):
            rc = sqlite3_bind_int64(statement, index, number)
        case .text(let text):
            var utf8 = Array(text.utf8)
            utf8.append(0)
            rc = utf8.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    rotor_sqlite3_bind_text_transient(statement, index, $0, Int32(buffer.count - 1))
                }
            }
        case .blob(let bytes):
            if bytes.isEmpty {
                // A NULL pointer would bind SQL NULL: an empty value must stay an empty blob.
                rc = sqlite3_bind_zeroblob(statement, index, 0)
            } else {
                rc = bytes.withUnsafeBytes { rotor_sqlite3_bind_blob_transient(statement, index, $0.baseAddress, Int32($0.count)) }
            }
        }
        guard rc == SQLITE_OK else { throw error(rc, doing: "bind parameter \(index)") }
    }

    private func column(at index: Int32, of statement: OpaquePointer) -> SQLValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_NULL:
            return .null
        case SQLITE_INTEGER:
            return .int(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .int(Int64(sqlite3_column_double(statement, index)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            guard let text = sqlite3_column_text(statement, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(statement, index))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    // MARK: - Errors

    /// The error for result code `rc`. SQLite's messages name tables and constraints, never bound values.
    private func error(_ rc: Int32, doing action: String) -> StoreError {
        let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
        switch rc & 0xFF {
        case SQLITE_CONSTRAINT:
            return .constraintViolation(message)
        case SQLITE_BUSY, SQLITE_LOCKED:
            return .queryFailed("\(message) (SQLite database \(path)): another process held the write lock for more than 5 s; "
                + "run one rotor daemon per SQLite file, or use PostgreSQL to share work between daemons")
        case SQLITE_CANTOPEN, SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_IOERR, SQLITE_FULL, SQLITE_READONLY, SQLITE_PERM:
            return .connectionFailed("SQLite database \(path): \(message)")
        default:
            return .queryFailed("cannot \(action): \(message)")
        }
    }

    /// Creates the database file readable and writable by its owner only; SQLite gives its -wal and -shm
    /// files the same mode. An existing file is left as it is.
    private static func createPrivateFile(at path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty && !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.connectionFailed("cannot create the directory \(directory) for the SQLite database: \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
        if fd >= 0 {
            closeDescriptor(fd)
        } else if errno != EEXIST {
            let reason = String(cString: strerror(errno))
            throw StoreError.connectionFailed("cannot create the SQLite database \(path): \(reason)")
        }
    }
}

/// Outside the class, where `close` is not shadowed by ``SQLiteConnection/close()``.
private func closeDescriptor(_ fd: Int32) {
    _ = close(fd)
}
