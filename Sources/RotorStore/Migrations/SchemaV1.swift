import RotorCore
/// Schema version 1: every table Rotor needs, with the constraints that keep the invariants even if the code
/// above has a bug (one `current` version per secret, one active rotation per secret).
enum SchemaV1 {
    static let migration = Migration(version: 1, name: "initial schema", sql: sql)

    /// `'a', 'b', …` for a CHECK or a partial index predicate. Built from our own enums, never from input.
    private static func list<E: RawRepresentable>(_ values: [E]) -> String where E.RawValue == String {
        values.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }

    /// The rotation states as of version 1, frozen: a migration must create the same schema forever, and
    /// `RotationState` has since dropped `scheduled` and `skipped`, which nothing ever entered. The CHECK still
    /// accepts them and the one-active index still counts `scheduled` (SQLite cannot alter either, and a new
    /// migration only to drop two never-written values is not worth a table rebuild); Rotor never writes them.
    static let rotationStateList = "'scheduled', 'generating', 'propagating', 'verifying', 'grace', 'revoking', "
        + "'completed', 'rolling_back', 'rolled_back', 'failed', 'skipped'"

    /// The rotation states in which a rotation is active as of version 1, as a SQL list (see ``rotationStateList``).
    static let activeStateList = "'scheduled', 'generating', 'propagating', 'verifying', 'grace', 'revoking', 'rolling_back'"

    private static func sql(_ d: SQLDialect) -> String {
        let blob = d.blobType
        let bool = d.booleanType
        // SQLite's INTEGER columns hold 64 bits; BIGINT is an alias there and the real thing on PostgreSQL.
        let boolCheck = { (column: String) in d == .sqlite ? " CHECK (\(column) IN (0, 1))" : "" }
        return """
        CREATE TABLE secrets (
            name              TEXT PRIMARY KEY,
            playbook_path     TEXT,
            kind              TEXT NOT NULL CHECK (kind IN (\(list(SecretKind.allCases)))),
            next_rotation_at  BIGINT,
            cycle_started_at  BIGINT,
            warnings_sent     TEXT NOT NULL DEFAULT '[]',
            skips_this_cycle  INTEGER NOT NULL DEFAULT 0,
            created_at        BIGINT NOT NULL,
            updated_at        BIGINT NOT NULL
        );
        CREATE INDEX secrets_next_rotation ON secrets (next_rotation_at);

        CREATE TABLE secret_versions (
            id                TEXT PRIMARY KEY,
            secret_name       TEXT NOT NULL REFERENCES secrets (name) ON DELETE CASCADE,
            label             TEXT NOT NULL CHECK (label IN (\(list(VersionLabel.allCases)))),
            sealed_value      \(blob) NOT NULL,
            master_key_id     TEXT NOT NULL,
            fingerprint       TEXT NOT NULL,
            last4             TEXT NOT NULL,
            display_prefix    TEXT NOT NULL DEFAULT '',
            source_handle     TEXT,
            rotation_id       TEXT,
            created_at        BIGINT NOT NULL,
            activated_at      BIGINT,
            revoked_at        BIGINT
        );
        CREATE INDEX secret_versions_by_secret ON secret_versions (secret_name, created_at);
        CREATE UNIQUE INDEX secret_versions_one_current ON secret_versions (secret_name) WHERE label = 'current';

        CREATE TABLE rotations (
            id                  TEXT PRIMARY KEY,
            secret_name         TEXT NOT NULL REFERENCES secrets (name) ON DELETE CASCADE,
            "trigger"           TEXT NOT NULL CHECK ("trigger" IN (\(list(RotationTrigger.allCases)))),
            actor               TEXT NOT NULL,
            reason              TEXT,
            state               TEXT NOT NULL CHECK (state IN (\(rotationStateList))),
            old_version_id      TEXT,
            new_version_id      TEXT,
            grace_ends_at       BIGINT,
            revoke_immediately  \(bool) NOT NULL\(boolCheck("revoke_immediately")),
            lease_owner         TEXT,
            lease_expires_at    BIGINT,
            fence               BIGINT NOT NULL DEFAULT 0,
            error               TEXT,
            created_at          BIGINT NOT NULL,
            updated_at          BIGINT NOT NULL,
            completed_at        BIGINT
        );
        CREATE INDEX rotations_by_secret ON rotations (secret_name, created_at);
        CREATE INDEX rotations_by_state ON rotations (state, created_at);
        CREATE UNIQUE INDEX rotations_one_active ON rotations (secret_name) WHERE state IN (\(activeStateList));

        CREATE TABLE rotation_steps (
            rotation_id  TEXT NOT NULL REFERENCES rotations (id) ON DELETE CASCADE,
            seq          INTEGER NOT NULL,
            step         TEXT NOT NULL,
            phase        TEXT NOT NULL CHECK (phase IN (\(list(JournalPhase.allCases)))),
            detail       TEXT,
            at           BIGINT NOT NULL,
            PRIMARY KEY (rotation_id, seq)
        );

        CREATE TABLE api_keys (
            id             TEXT PRIMARY KEY,
            key_hash       \(blob) NOT NULL UNIQUE,
            prefix         TEXT NOT NULL,
            last4          TEXT NOT NULL,
            org            TEXT NOT NULL,
            name           TEXT NOT NULL,
            scopes         TEXT NOT NULL DEFAULT '[]',
            rate_limit     INTEGER,
            status         TEXT NOT NULL CHECK (status IN (\(list(APIKeyStatus.allCases)))),
            created_at     BIGINT NOT NULL,
            expires_at     BIGINT,
            grace_ends_at  BIGINT,
            last_used_at   BIGINT,
            rotated_from   TEXT,
            revoked_at     BIGINT,
            revoke_reason  TEXT
        );
        CREATE INDEX api_keys_by_org ON api_keys (org, id);
        CREATE INDEX api_keys_by_status_id ON api_keys (status, id);
        CREATE INDEX api_keys_by_status_created ON api_keys (status, created_at);
        CREATE INDEX api_keys_by_status_grace ON api_keys (status, grace_ends_at);
        CREATE INDEX api_keys_by_prefix ON api_keys (prefix);

        CREATE TABLE key_pickups (
            id             TEXT PRIMARY KEY,
            new_key_id     TEXT NOT NULL,
            old_key_id     TEXT NOT NULL,
            sealed_key     \(blob) NOT NULL,
            master_key_id  TEXT NOT NULL,
            created_at     BIGINT NOT NULL,
            expires_at     BIGINT NOT NULL,
            claimed_at     BIGINT
        );
        CREATE INDEX key_pickups_by_old_key ON key_pickups (old_key_id, created_at);
        CREATE INDEX key_pickups_unclaimed_by_expiry ON key_pickups (expires_at) WHERE claimed_at IS NULL;

        CREATE TABLE notifications (
            id                TEXT PRIMARY KEY,
            channel           TEXT NOT NULL,
            org               TEXT,
            secret_name       TEXT,
            kind              TEXT NOT NULL,
            urgent            \(bool) NOT NULL\(boolCheck("urgent")),
            subject           TEXT NOT NULL,
            body              TEXT NOT NULL,
            dedupe_key        TEXT NOT NULL UNIQUE,
            status            TEXT NOT NULL CHECK (status IN (\(list(NotificationStatus.allCases)))),
            attempts          INTEGER NOT NULL DEFAULT 0,
            next_attempt_at   BIGINT NOT NULL,
            lease_owner       TEXT,
            lease_expires_at  BIGINT,
            last_error        TEXT,
            created_at        BIGINT NOT NULL,
            sent_at           BIGINT
        );
        CREATE INDEX notifications_due ON notifications (status, next_attempt_at);
        CREATE INDEX notifications_by_created ON notifications (created_at);
        CREATE INDEX notifications_by_org ON notifications (org, created_at);
        CREATE INDEX notifications_by_secret ON notifications (secret_name, created_at);

        CREATE TABLE reply_tokens (
            id           TEXT PRIMARY KEY,
            token_hash   \(blob) NOT NULL UNIQUE,
            code         TEXT UNIQUE,
            secret_name  TEXT NOT NULL,
            action       TEXT NOT NULL,
            created_at   BIGINT NOT NULL,
            expires_at   BIGINT NOT NULL,
            used_at      BIGINT
        );

        CREATE TABLE audit_events (
            id               \(d.autoIncrementPrimaryKey),
            at               BIGINT NOT NULL,
            subject          TEXT NOT NULL,
            subject_kind     TEXT NOT NULL,
            action           TEXT NOT NULL,
            old_fingerprint  TEXT,
            old_last4        TEXT,
            new_fingerprint  TEXT,
            new_last4        TEXT,
            "trigger"        TEXT,
            actor            TEXT NOT NULL,
            reason           TEXT,
            outcome          TEXT NOT NULL,
            rotation_id      TEXT,
            detail           TEXT
        );
        CREATE INDEX audit_events_by_at ON audit_events (at);
        CREATE INDEX audit_events_by_subject ON audit_events (subject, at);

        CREATE TABLE settings (
            key    TEXT PRIMARY KEY,
            value  \(blob) NOT NULL
        );

        CREATE TABLE locks (
            name        TEXT PRIMARY KEY,
            owner       TEXT,
            expires_at  BIGINT,
            fence       BIGINT NOT NULL DEFAULT 0
        );
        """
    }
}
