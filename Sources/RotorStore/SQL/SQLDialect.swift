import RotorCore
/// The differences between the two SQL dialects Rotor speaks. Queries are written once, with `?` placeholders
/// and these fragments; nothing here ever carries a value.
enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    /// Type of byte-string columns.
    var blobType: String {
        switch self {
        case .sqlite: "BLOB"
        case .postgres: "BYTEA"
        }
    }

    /// Type of true/false columns. SQLite has no boolean type: 0/1 integers, guarded by a CHECK.
    var booleanType: String {
        switch self {
        case .sqlite: "INTEGER"
        case .postgres: "BOOLEAN"
        }
    }

    /// Column definition of an increasing 64-bit id assigned by the database.
    var autoIncrementPrimaryKey: String {
        switch self {
        // AUTOINCREMENT: ids never go back, even after the newest row is deleted.
        case .sqlite: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "BIGSERIAL PRIMARY KEY"
        }
    }

    /// Statement that opens a transaction.
    var beginTransaction: String {
        switch self {
        // IMMEDIATE takes the write lock up front, so two writers wait (busy_timeout) instead of failing
        // with SQLITE_BUSY when a read transaction tries to upgrade.
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }

    /// Suffix that locks the selected rows until the transaction ends. SQLite needs none: BEGIN IMMEDIATE
    /// already serialises writers.
    var forUpdate: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE"
        }
    }

    /// Suffix that locks the selected rows and skips rows another transaction holds, so concurrent claimers
    /// split the work instead of waiting for each other.
    var forUpdateSkipLocked: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE SKIP LOCKED"
        }
    }

    /// Collation suffix that compares text byte by byte, so a range such as `action >= 'a.' AND action < 'a/'` is
    /// exactly the actions under `a` (SQLite's default is already binary; PostgreSQL's follows the locale).
    var binaryCollation: String {
        switch self {
        case .sqlite: ""
        case .postgres: " COLLATE \"C\""
        }
    }

    /// `sql` with its `?` placeholders in this dialect's form (`$1`, `$2`, … on PostgreSQL).
    /// Question marks inside quoted literals or identifiers are left alone.
    func placeholders(in sql: String) -> String {
        guard self == .postgres else { return sql }
        var result = ""
        result.reserveCapacity(sql.utf8.count + 16)
        var number = 0
        var quote: Character?
        for character in sql {
            if let open = quote {
                if character == open { quote = nil }
                result.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                result.append(character)
            } else if character == "?" {
                number += 1
                result += "$\(number)"
            } else {
                result.append(character)
            }
        }
        return result
    }
}
