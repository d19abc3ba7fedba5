import RotorCore
/// One numbered step of the schema. Applied once, in order, inside the opening transaction; recorded in
/// `schema_migrations`. Never edit a released migration: add the next one.
struct Migration: Sendable {
    let version: Int
    let name: String
    /// The migration's statements in a dialect. The dialect only contributes type names and keywords.
    let sql: @Sendable (SQLDialect) -> String
    /// Work SQL alone cannot do (hashing rows), run after `sql` in the same transaction.
    var after: (@Sendable (SQLTransaction) throws -> Void)?

    init(version: Int, name: String, sql: @escaping @Sendable (SQLDialect) -> String,
         after: (@Sendable (SQLTransaction) throws -> Void)? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.after = after
    }

    /// Every migration this binary knows, in order.
    static let all: [Migration] = [SchemaV1.migration, SchemaV2.migration, AlertEventsMigration.migration,
                                    KeyIndexMigration.migration, APIKeyRetentionMigration.migration,
                                    AuditSimulatedNowMigration.migration, AwaitingValueMigration.migration,
                                    AuditChainMigration.migration, AwaitingApprovalMigration.migration,
                                    DashboardSessionsMigration.migration, AuditFilterIndexesMigration.migration]

    /// The newest schema version this binary knows.
    static var latestVersion: Int { all.last?.version ?? 0 }
}
