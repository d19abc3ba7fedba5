import Testing

/// The store a server test runs on: a SQLite file, or a PostgreSQL database of its own (with-postgres.sh).
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }
}
