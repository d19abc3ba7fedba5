/// Rotations of a staged playbook wait in `awaiting_approval` before a stage marked `approve: true`: the state CHECK
/// accepts it, and the one-active index counts it (a rotation waiting for approval holds its secret).
///
/// Done like ``AwaitingValueMigration``: PostgreSQL alters the constraint and the index in place; SQLite rebuilds
/// `rotations`, with its journal set aside first so that dropping the table cascades nothing away.
enum AwaitingApprovalMigration {
    static let migration = Migration(version: 9, name: "awaiting_approval rotation state", sql: sql)

    /// The states of migration 7 plus `awaiting_approval`, frozen like ``SchemaV1/rotationStateList``.
    static let rotationStateList = AwaitingValueMigration.rotationStateList + ", 'awaiting_approval'"
    static let activeStateList = AwaitingValueMigration.activeStateList + ", 'awaiting_approval'"

    private static func sql(_ d: SQLDialect) -> String {
        switch d {
        case .postgres:
            return """
            ALTER TABLE rotations DROP CONSTRAINT rotations_state_check;
            ALTER TABLE rotations ADD CONSTRAINT rotations_state_check CHECK (state IN (\(rotationStateList)));
            DROP INDEX rotations_one_active;
            CREATE UNIQUE INDEX rotations_one_active ON rotations (secret_name) WHERE state IN (\(activeStateList));
            """
        case .sqlite:
            let columns = "id, secret_name, \"trigger\", actor, reason, state, old_version_id, new_version_id, grace_ends_at, "
                + "revoke_immediately, lease_owner, lease_expires_at, fence, error, created_at, updated_at, completed_at"
            return """
            CREATE TABLE rotation_steps_aside AS SELECT * FROM rotation_steps;
            DROP TABLE rotation_steps;
            CREATE TABLE rotations_v9 (
                id                  TEXT PRIMARY KEY,
                secret_name         TEXT NOT NULL REFERENCES secrets (name) ON DELETE CASCADE,
                "trigger"           TEXT NOT NULL CHECK ("trigger" IN ('schedule', 'manual', 'emergency', 'compliance')),
                actor               TEXT NOT NULL,
                reason              TEXT,
                state               TEXT NOT NULL CHECK (state IN (\(rotationStateList))),
                old_version_id      TEXT,
                new_version_id      TEXT,
                grace_ends_at       BIGINT,
                revoke_immediately  \(d.booleanType) NOT NULL CHECK (revoke_immediately IN (0, 1)),
                lease_owner         TEXT,
                lease_expires_at    BIGINT,
                fence               BIGINT NOT NULL DEFAULT 0,
                error               TEXT,
                created_at          BIGINT NOT NULL,
                updated_at          BIGINT NOT NULL,
                completed_at        BIGINT
            );
            INSERT INTO rotations_v9 (\(columns)) SELECT \(columns) FROM rotations;
            DROP TABLE rotations;
            ALTER TABLE rotations_v9 RENAME TO rotations;
            CREATE INDEX rotations_by_secret ON rotations (secret_name, created_at);
            CREATE INDEX rotations_by_state ON rotations (state, created_at);
            CREATE UNIQUE INDEX rotations_one_active ON rotations (secret_name) WHERE state IN (\(activeStateList));
            CREATE TABLE rotation_steps (
                rotation_id  TEXT NOT NULL REFERENCES rotations (id) ON DELETE CASCADE,
                seq          INTEGER NOT NULL,
                step         TEXT NOT NULL,
                phase        TEXT NOT NULL CHECK (phase IN ('started', 'succeeded', 'failed')),
                detail       TEXT,
                at           BIGINT NOT NULL,
                PRIMARY KEY (rotation_id, seq)
            );
            INSERT INTO rotation_steps (rotation_id, seq, step, phase, detail, at)
                SELECT rotation_id, seq, step, phase, detail, at FROM rotation_steps_aside;
            DROP TABLE rotation_steps_aside;
            """
        }
    }
}
