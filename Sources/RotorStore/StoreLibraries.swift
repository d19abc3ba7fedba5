import CPostgres
import CSQLite
import RotorCore

/// Versions of the database client libraries this rotor is linked with (`rotor version` prints them).
public enum StoreLibraries {
    /// The SQLite library version, for example `3.40.1`.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    /// The libpq version, for example `15.18`.
    public static var libpqVersion: String {
        let number = Int(PQlibVersion())
        // Since PostgreSQL 10 the number is major * 10000 + minor; before, major * 10000 + minor * 100 + patch.
        if number >= 100_000 {
            return "\(number / 10000).\(number % 10000)"
        }
        return "\(number / 10000).\(number / 100 % 100).\(number % 100)"
    }

    /// Both versions in one line: `SQLite 3.40.1, libpq 15.18`.
    public static var version: String { "SQLite \(sqliteVersion), libpq \(libpqVersion)" }
}
