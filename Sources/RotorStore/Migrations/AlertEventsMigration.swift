/// Alerts: each notification may carry the structured event it reports (JSON of `AlertEvent`), from which
/// Slack blocks and webhook bodies are built at send time. Rows written before have none.
enum AlertEventsMigration {
    static let migration = Migration(version: 3, name: "alert events", sql: { _ in
        "ALTER TABLE notifications ADD COLUMN event TEXT;"
    })
}
