/// Audit rows written under a time-travelling clock (`rotor tick --now …`) are marked, so the log tells a rehearsal
/// from what really happened. Rows written before are real (0).
enum AuditSimulatedNowMigration {
    static let migration = Migration(version: 6, name: "audit simulated now", sql: { _ in
        "ALTER TABLE audit_events ADD COLUMN simulated_now INTEGER NOT NULL DEFAULT 0;"
    })
}
