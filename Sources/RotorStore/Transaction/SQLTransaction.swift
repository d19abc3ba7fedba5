import RotorCore
import RotorCrypto
/// The one implementation of ``StoreTransaction`` for both backends: every query is written once, with `?`
/// placeholders and ``SQLDialect`` fragments where the dialects differ. The typed operations are in the
/// extensions next to this file, one per table.
///
/// Valid only inside the transaction that created it, on that transaction's database thread.
final class SQLTransaction {
    let connection: any SQLConnection
    /// Whether the process runs under a time-travelling clock (`--now`): every audit row it appends is marked.
    let simulatedNow: Bool
    /// The audit chain key, when the store was opened with the master key: every appended row gets a MAC.
    let auditChainKey: HMACSHA256Key?

    init(connection: any SQLConnection, simulatedNow: Bool = false, auditChainKey: HMACSHA256Key? = nil) {
        self.connection = connection
        self.simulatedNow = simulatedNow
        self.auditChainKey = auditChainKey
    }

    var dialect: SQLDialect { connection.dialect }

    /// The first statement that failed in this transaction. PostgreSQL refuses every later statement and would
    /// turn COMMIT into a silent ROLLBACK; SQLite would commit the rest. Neither is what a caller that caught the
    /// error expects, so on both backends a failed statement dooms the whole transaction.
    private(set) var failure: (any Error)?

    /// The customer key change this transaction stamps its key writes with, once it wrote one
    /// (see `SQLTransaction+APIKeyChanges.swift`).
    var apiKeyChange: Int64?

    /// The audit chain's head, once this transaction locked it for its first append (see
    /// `SQLTransaction+AuditChain.swift`).
    var auditHead: AuditChainHead?

    /// Runs one statement; every value in `parameters` is bound, never spliced into `sql`.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLResult {
        if let failure { throw failure }
        WorkCounter.add(.storeStatements)
        do {
            return try connection.execute(sql, parameters)
        } catch {
            failure = error
            throw error
        }
    }

    /// Runs several statements without parameters (schema migrations).
    func executeScript(_ sql: String) throws {
        if let failure { throw failure }
        do {
            try connection.executeScript(sql)
        } catch {
            failure = error
            throw error
        }
    }

    /// The rows `sql` returns.
    func rows(_ sql: String, _ parameters: [SQLValue] = []) throws -> [SQLRow] {
        try execute(sql, parameters).rows
    }

    /// The first row `sql` returns, if any.
    func row(_ sql: String, _ parameters: [SQLValue] = []) throws -> SQLRow? {
        try execute(sql, parameters).rows.first
    }

    /// `?, ?, ?` for an `IN (…)` list of `count` bound values.
    static func placeholders(_ count: Int) -> String {
        Array(repeating: "?", count: count).joined(separator: ", ")
    }

    /// Runs `body` in a transaction on `connection`: commits if it returns, rolls back (and rethrows) if it throws.
    static func run<T>(on connection: any SQLConnection, simulatedNow: Bool = false, auditChainKey: HMACSHA256Key? = nil,
                       _ body: (SQLTransaction) throws -> T) throws -> T {
        try connection.ensureUsable()
        do {
            try connection.execute(connection.dialect.beginTransaction)
        } catch let error as StoreError where error.code == .connectionFailed {
            // A server restart or an idle timeout shows only on first use. Nothing has happened yet, so
            // reconnecting and beginning again is safe; a second failure is reported.
            try connection.ensureUsable()
            try connection.execute(connection.dialect.beginTransaction)
        }
        let result: T
        do {
            let transaction = SQLTransaction(connection: connection, simulatedNow: simulatedNow, auditChainKey: auditChainKey)
            result = try body(transaction)
            // The body caught a database error and returned anyway: the transaction cannot be trusted.
            if let failure = transaction.failure { throw failure }
            try connection.execute("COMMIT")
        } catch {
            // The rollback's own failure (a dropped connection) would hide the error that matters.
            _ = try? connection.execute("ROLLBACK")
            throw error
        }
        return result
    }
}
