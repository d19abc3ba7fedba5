import RotorCore

/// What a statement returned: its rows (if any) and how many rows it changed.
struct SQLResult: Sendable {
    var rows: [SQLRow]
    /// Rows inserted, updated or deleted by the statement; 0 for a query.
    var affectedRows: Int
}
