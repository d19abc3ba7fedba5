import Foundation
import RotorCore

extension SQLTransaction {
    func setting(_ key: String) throws -> [UInt8]? {
        try row("SELECT value FROM settings WHERE key = ?", [.text(key)])?.blob("value")
    }

    func setSetting(_ key: String, _ value: [UInt8]) throws {
        try execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [.text(key), .blob(value)]
        )
    }

    func insertSettingIfAbsent(_ key: String, _ value: [UInt8]) throws -> [UInt8] {
        try execute("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", [.text(key), .blob(value)])
        guard let stored = try setting(key) else { throw StoreError.notFound("setting \(key)") }
        return stored
    }

    func schemaVersion() throws -> Int {
        try row("SELECT COALESCE(MAX(version), 0) AS version FROM schema_migrations")?.int("version") ?? 0
    }

    func acquireLock(name: String, owner: String, until: Date, now: Date) throws -> Int64? {
        // One upsert: on PostgreSQL a concurrent acquirer waits on the row, then re-checks the WHERE against the
        // winner's values, so exactly one of them gets a fence back.
        try row("""
            INSERT INTO locks (name, owner, expires_at, fence) VALUES (?, ?, ?, 1)
            ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, fence = locks.fence + 1
            WHERE locks.owner IS NULL OR locks.owner = excluded.owner OR locks.expires_at IS NULL OR locks.expires_at <= ?
            RETURNING fence
            """, [.text(name), .text(owner), SQLValue(until), SQLValue(now)])?.int64("fence")
    }

    func lockHolder(name: String) throws -> (owner: String, until: Date)? {
        guard let row = try row("SELECT owner, expires_at FROM locks WHERE name = ? AND owner IS NOT NULL", [.text(name)]),
              let owner = try row.optionalText("owner"), let until = try row.optionalDate("expires_at") else { return nil }
        return (owner, until)
    }

    func releaseLock(name: String, owner: String) throws {
        try execute("UPDATE locks SET owner = NULL, expires_at = NULL WHERE name = ? AND owner = ?", [.text(name), .text(owner)])
    }
}
