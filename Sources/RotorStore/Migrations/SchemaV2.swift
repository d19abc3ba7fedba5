/// Schema version 2: text-reply codes are stored as a hash (`code_hash`), like link tokens, instead of in clear.
///
/// Codes issued before this migration cannot be hashed here (SQL does not hold the key), so they are
/// dropped: their links keep working, and `rotor skip` works as always.
enum SchemaV2 {
    static let migration = Migration(version: 2, name: "reply codes stored hashed", sql: sql)

    private static func sql(_ d: SQLDialect) -> String {
        switch d {
        case .postgres:
            return """
            ALTER TABLE reply_tokens DROP COLUMN code;
            ALTER TABLE reply_tokens ADD COLUMN code_hash \(d.blobType) UNIQUE;
            """
        case .sqlite:
            // SQLite cannot drop a UNIQUE column: the table is rebuilt.
            return """
            CREATE TABLE reply_tokens_v2 (
                id           TEXT PRIMARY KEY,
                token_hash   \(d.blobType) NOT NULL UNIQUE,
                code_hash    \(d.blobType) UNIQUE,
                secret_name  TEXT NOT NULL,
                action       TEXT NOT NULL,
                created_at   BIGINT NOT NULL,
                expires_at   BIGINT NOT NULL,
                used_at      BIGINT
            );
            INSERT INTO reply_tokens_v2 (id, token_hash, secret_name, action, created_at, expires_at, used_at)
                SELECT id, token_hash, secret_name, action, created_at, expires_at, used_at FROM reply_tokens;
            DROP TABLE reply_tokens;
            ALTER TABLE reply_tokens_v2 RENAME TO reply_tokens;
            """
        }
    }
}
