import RotorCore

extension SQLTransaction {
    static let secretColumns = "name, playbook_path, kind, next_rotation_at, cycle_started_at, warnings_sent, skips_this_cycle, created_at, updated_at"

    func upsertSecret(_ secret: SecretRecord) throws {
        try execute("""
            INSERT INTO secrets (\(Self.secretColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET
                playbook_path = excluded.playbook_path, kind = excluded.kind, next_rotation_at = excluded.next_rotation_at,
                cycle_started_at = excluded.cycle_started_at, warnings_sent = excluded.warnings_sent,
                skips_this_cycle = excluded.skips_this_cycle, created_at = excluded.created_at, updated_at = excluded.updated_at
            """, [
                SQLValue(secret.name), SQLValue(secret.playbookPath), SQLValue(secret.kind), SQLValue(secret.nextRotationAt),
                SQLValue(secret.cycleStartedAt), SQLValue(jsonArray: secret.warningsSent), SQLValue(secret.skipsThisCycle),
                SQLValue(secret.createdAt), SQLValue(secret.updatedAt),
            ])
    }

    func secret(named name: String) throws -> SecretRecord? {
        try row("SELECT \(Self.secretColumns) FROM secrets WHERE name = ?", [.text(name)]).map(SecretRecord.init(row:))
    }

    func lockSecret(named name: String) throws -> SecretRecord? {
        try row("SELECT \(Self.secretColumns) FROM secrets WHERE name = ?\(dialect.forUpdate)", [.text(name)])
            .map(SecretRecord.init(row:))
    }

    func claimSecret(named name: String) throws -> SecretRecord? {
        try row("SELECT \(Self.secretColumns) FROM secrets WHERE name = ?\(dialect.forUpdateSkipLocked)", [.text(name)])
            .map(SecretRecord.init(row:))
    }

    func updateSchedule(of secret: SecretRecord) throws {
        let result = try execute("""
            UPDATE secrets SET next_rotation_at = ?, cycle_started_at = ?, warnings_sent = ?, skips_this_cycle = ?,
                updated_at = ?
            WHERE name = ?
            """, [
                SQLValue(secret.nextRotationAt), SQLValue(secret.cycleStartedAt), SQLValue(jsonArray: secret.warningsSent),
                SQLValue(secret.skipsThisCycle), SQLValue(secret.updatedAt), SQLValue(secret.name),
            ])
        guard result.affectedRows == 1 else { throw StoreError.notFound("secret \(secret.name)") }
    }

    func allSecrets() throws -> [SecretRecord] {
        try rows("SELECT \(Self.secretColumns) FROM secrets ORDER BY name").map(SecretRecord.init(row:))
    }

    func deleteSecret(named name: String) throws {
        try execute("DELETE FROM secrets WHERE name = ?", [.text(name)])
    }
}

extension SecretRecord {
    init(row: SQLRow) throws {
        self.init(
            name: try row.text("name"),
            playbookPath: try row.optionalText("playbook_path"),
            kind: try row.value("kind", as: SecretKind.self),
            nextRotationAt: try row.optionalDate("next_rotation_at"),
            cycleStartedAt: try row.optionalDate("cycle_started_at"),
            warningsSent: try row.stringArray("warnings_sent"),
            skipsThisCycle: try row.int("skips_this_cycle"),
            createdAt: try row.date("created_at"),
            updatedAt: try row.date("updated_at")
        )
    }
}
