import RotorCore

/// One open database connection. Not Sendable: a connection lives on, and is used only by, the
/// ``ConnectionThread`` that opened it.
protocol SQLConnection: AnyObject {
    var dialect: SQLDialect { get }

    /// Runs one statement with `?` placeholders bound to `parameters`.
    func execute(_ sql: String, _ parameters: [SQLValue]) throws -> SQLResult

    /// Runs several `;`-separated statements without parameters (schema migrations).
    func executeScript(_ sql: String) throws

    /// Makes sure the connection can be used for a new transaction, reconnecting if the server dropped it.
    func ensureUsable() throws

    /// Releases the connection. It must not be used afterwards.
    func close()
}

extension SQLConnection {
    @discardableResult
    func execute(_ sql: String) throws -> SQLResult { try execute(sql, []) }
}
