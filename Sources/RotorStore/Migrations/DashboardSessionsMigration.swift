import RotorCore
/// The dashboard's sessions live in the store, so they survive a restart and daemons behind one address share them.
///
/// A row is found by the SHA-256 (hex) of the session's persist key, never the cookie's id itself, and holds the
/// session sealed under the master key, bound to that hash (``SealingContext/session(keyHash:)``): someone who can
/// only write to the database can neither read a session nor forge one, nor move one to another key.
/// `expires_at` is NULL for a value without expiry; the index finds expired rows to prune.
enum DashboardSessionsMigration {
    static let migration = Migration(version: 10, name: "dashboard sessions", sql: { d in
        """
        CREATE TABLE dashboard_sessions (
            key_hash       TEXT PRIMARY KEY,
            sealed_value   \(d.blobType) NOT NULL,
            master_key_id  TEXT NOT NULL,
            expires_at     BIGINT,
            created_at     BIGINT NOT NULL
        );
        CREATE INDEX dashboard_sessions_by_expiry ON dashboard_sessions (expires_at) WHERE expires_at IS NOT NULL;
        """
    })
}
