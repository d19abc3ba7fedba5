/// Customer key verification from memory: a change counter the servers follow (one row, raised in the same
/// transaction as every write to a key, which stamps the keys it writes with it), and the count of uses of keys
/// after they were revoked or expired.
enum KeyIndexMigration {
    static let migration = Migration(version: 4, name: "key index change counter and old key uses", sql: { _ in
        """
        CREATE TABLE api_key_changes (
            id   INTEGER PRIMARY KEY CHECK (id = 1),
            seq  BIGINT NOT NULL
        );
        INSERT INTO api_key_changes (id, seq) VALUES (1, 0);
        ALTER TABLE api_keys ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE api_keys ADD COLUMN old_key_uses BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE api_keys ADD COLUMN old_key_used_at BIGINT;
        CREATE INDEX api_keys_by_change ON api_keys (change_seq, id);
        CREATE INDEX api_keys_by_old_key_use ON api_keys (old_key_used_at) WHERE old_key_uses > 0;
        """
    })
}
