import Foundation
import RotorCore

extension SQLTransaction {
    /// Bound values per multi-row statement. PostgreSQL takes up to 65 535 and SQLite (3.32+) 32 766; a few
    /// thousand keep each statement quick to prepare while cutting round trips a hundredfold.
    static let valuesPerStatement = 8_000

    /// Inserts `rows` into `table` with as few multi-row `INSERT … VALUES (…), (…)` statements as the bound-value
    /// limit allows; `suffix` follows each (e.g. `ON CONFLICT … DO NOTHING`). Returns the rows written.
    @discardableResult
    func insertRows(into table: String, columns: String, width: Int, _ rows: [[SQLValue]], suffix: String = "",
                    valuesPerStatement: Int = valuesPerStatement) throws -> Int {
        let perStatement = max(1, valuesPerStatement / width)
        let tuple = "(" + Self.placeholders(width) + ")"
        var written = 0
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + perStatement, rows.count)]
            let sql = "INSERT INTO \(table) (\(columns)) VALUES "
                + Array(repeating: tuple, count: chunk.count).joined(separator: ", ") + suffix
            written += try execute(sql, chunk.flatMap { $0 }).affectedRows
            start += perStatement
        }
        return written
    }

    /// Stamped with this transaction's change, like every key write, so the servers' key indexes load them.
    func insertAPIKeys(_ keys: [APIKeyRecord]) throws {
        guard !keys.isEmpty else { return }
        let change = SQLValue.int(try noteAPIKeyChange())
        try insertRows(into: "api_keys", columns: Self.apiKeyColumns + ", change_seq", width: 17, keys.map { $0.sqlValues + [change] })
    }

    func existingAPIKeyHashes(_ hashes: [[UInt8]]) throws -> Set<[UInt8]> {
        var found: Set<[UInt8]> = []
        var start = 0
        while start < hashes.count {
            let chunk = Array(hashes[start..<min(start + Self.valuesPerStatement, hashes.count)])
            for row in try rows("SELECT key_hash FROM api_keys WHERE key_hash IN (\(Self.placeholders(chunk.count)))",
                                chunk.map { .blob($0) }) {
                found.insert(try row.blob("key_hash"))
            }
            start += Self.valuesPerStatement
        }
        return found
    }

    func claimDueAPIKeys(createdBefore: Date, limit: Int) throws -> [APIKeyRecord] {
        try rows(Self.activeAPIKeysQuery + dialect.forUpdateSkipLocked,
                 [SQLValue(APIKeyStatus.active), SQLValue(createdBefore), SQLValue(max(0, limit))]).map(APIKeyRecord.init(row:))
    }

    func moveAPIKeysToGrace(ids: [String], graceEndsAt: Date, expiresCap: Date) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        // The status test is in the UPDATE itself, as in `updateAPIKey(_:ifStatus:)`: a key someone revoked or
        // rotated meanwhile is left alone and not counted.
        // Stamped with this transaction's change so the servers' key indexes see the keys enter grace.
        let change = try noteAPIKeyChange()
        return try execute("""
            UPDATE api_keys SET status = ?, grace_ends_at = ?,
                expires_at = CASE WHEN expires_at IS NULL OR expires_at > ? THEN ? ELSE expires_at END, change_seq = ?
            WHERE status = ? AND id IN (\(Self.placeholders(ids.count)))
            """, [SQLValue(APIKeyStatus.grace), SQLValue(graceEndsAt), SQLValue(expiresCap), SQLValue(expiresCap),
                  .int(change), SQLValue(APIKeyStatus.active)] + ids.map { .text($0) }).affectedRows
    }

    /// Parameters: `revoked`, revoked-before, limit. Index-backed by `api_keys_by_status_revoked`.
    static let revokedAPIKeysQuery = "SELECT id FROM api_keys WHERE status = ? AND revoked_at < ? ORDER BY revoked_at, id LIMIT ?"

    func deleteAPIKeys(revokedBefore: Date, limit: Int) throws -> Int {
        let ids = try rows(Self.revokedAPIKeysQuery + dialect.forUpdateSkipLocked,
                           [SQLValue(APIKeyStatus.revoked), SQLValue(revokedBefore), SQLValue(max(0, limit))])
            .map { SQLValue.text(try $0.text("id")) }
        guard !ids.isEmpty else { return 0 }
        // Pickup slots waiting for a deleted key are long expired and wiped; they would only dangle.
        try execute("DELETE FROM key_pickups WHERE old_key_id IN (\(Self.placeholders(ids.count)))", ids)
        return try execute("DELETE FROM api_keys WHERE status = ? AND id IN (\(Self.placeholders(ids.count)))",
                           [SQLValue(APIKeyStatus.revoked)] + ids).affectedRows
    }

    func insertPickups(_ pickups: [KeyPickupRecord]) throws {
        try insertRows(into: "key_pickups", columns: Self.pickupColumns, width: 8, pickups.map { pickup in
            [SQLValue(pickup.id), SQLValue(pickup.newKeyID), SQLValue(pickup.oldKeyID), SQLValue(pickup.sealedKey),
             SQLValue(pickup.masterKeyID), SQLValue(pickup.createdAt), SQLValue(pickup.expiresAt), SQLValue(pickup.claimedAt)]
        })
    }

    @discardableResult
    func enqueueNotifications(_ notifications: [NotificationRecord]) throws -> Int {
        try insertRows(into: "notifications", columns: Self.notificationColumns, width: 18, notifications.map { n in
            [SQLValue(n.id), SQLValue(n.channel), SQLValue(n.org), SQLValue(n.secretName), SQLValue(n.kind), SQLValue(n.urgent),
             SQLValue(n.subject), SQLValue(n.body), SQLValue(n.dedupeKey), SQLValue(n.status), SQLValue(n.attempts),
             SQLValue(n.nextAttemptAt), SQLValue(n.leaseOwner), SQLValue(n.leaseExpiresAt), SQLValue(n.lastError),
             SQLValue(n.createdAt), SQLValue(n.sentAt), SQLValue(n.event)]
        }, suffix: " ON CONFLICT (dedupe_key) DO NOTHING")
    }

    /// Linked into the audit chain as one batch: one head lock, hashes computed in memory, multi-row inserts.
    func appendAuditEvents(_ events: [AuditEvent]) throws {
        _ = try appendChained(events)
    }
}
