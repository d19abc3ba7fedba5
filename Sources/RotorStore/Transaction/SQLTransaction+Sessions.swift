import Foundation
import RotorCore

extension SQLTransaction {
    static let sessionColumns = "key_hash, sealed_value, master_key_id, expires_at, created_at"

    func insertSession(_ session: SessionRecord, now: Date) throws -> Bool {
        // One conditional upsert: a live row stays as it is (0 rows changed), an expired one is taken over. On
        // PostgreSQL two creators of one key serialise on the row, and the second sees the first's live row.
        try execute("""
            INSERT INTO dashboard_sessions (\(Self.sessionColumns)) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (key_hash) DO UPDATE SET sealed_value = excluded.sealed_value, master_key_id = excluded.master_key_id,
                expires_at = excluded.expires_at, created_at = excluded.created_at
            WHERE dashboard_sessions.expires_at IS NOT NULL AND dashboard_sessions.expires_at <= ?
            """, Self.sessionValues(session) + [SQLValue(now)]).affectedRows == 1
    }

    func upsertSession(_ session: SessionRecord) throws {
        try execute("""
            INSERT INTO dashboard_sessions (\(Self.sessionColumns)) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (key_hash) DO UPDATE SET sealed_value = excluded.sealed_value, master_key_id = excluded.master_key_id,
                expires_at = COALESCE(excluded.expires_at, dashboard_sessions.expires_at)
            """, Self.sessionValues(session))
    }

    func session(keyHash: String, now: Date) throws -> SessionRecord? {
        try row("""
            SELECT \(Self.sessionColumns) FROM dashboard_sessions
            WHERE key_hash = ? AND (expires_at IS NULL OR expires_at > ?)
            """, [.text(keyHash), SQLValue(now)]).map(SessionRecord.init(row:))
    }

    func deleteSession(keyHash: String) throws {
        try execute("DELETE FROM dashboard_sessions WHERE key_hash = ?", [.text(keyHash)])
    }

    func deleteExpiredSessions(now: Date, limit: Int) throws -> Int {
        try execute("""
            DELETE FROM dashboard_sessions WHERE key_hash IN (
                SELECT key_hash FROM dashboard_sessions WHERE expires_at IS NOT NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?)
            """, [SQLValue(now), SQLValue(limit)]).affectedRows
    }

    private static func sessionValues(_ session: SessionRecord) -> [SQLValue] {
        [.text(session.keyHash), .blob(session.sealedValue), .text(session.masterKeyID), SQLValue(session.expiresAt),
         SQLValue(session.createdAt)]
    }
}

extension SessionRecord {
    init(row: SQLRow) throws {
        self.init(
            keyHash: try row.text("key_hash"),
            sealedValue: try row.blob("sealed_value"),
            masterKeyID: try row.text("master_key_id"),
            expiresAt: try row.optionalDate("expires_at"),
            createdAt: try row.date("created_at")
        )
    }
}
