/// Retention: revoked customer keys are deleted some time after their revocation, found through this index so
/// that a pass costs what is due, not the number of revoked keys.
enum APIKeyRetentionMigration {
    static let migration = Migration(version: 5, name: "api key retention", sql: { _ in
        "CREATE INDEX api_keys_by_status_revoked ON api_keys (status, revoked_at);"
    })
}
