import Foundation
import RotorCore

/// The change counter the servers' key indexes follow, and the writes those servers batch: last uses and uses
/// of old keys. Neither batch raises the counter: they change nothing a verification decides on by itself.
extension SQLTransaction {
    /// The PostgreSQL channel writers announce key changes on.
    static let apiKeyChannel = "rotor_api_keys"

    /// Raises the change counter, once per transaction, and returns the change this transaction's key writes
    /// are stamped with. On PostgreSQL the counter's row stays locked until commit, so changes commit in counter
    /// order and a reader that sees counter N has every change up to N; the announcement goes out at commit.
    func noteAPIKeyChange() throws -> Int64 {
        if let apiKeyChange { return apiKeyChange }
        // On PostgreSQL the announcement rides on the same statement: one round trip fewer for every key write.
        let notify = dialect == .postgres ? ", pg_notify('\(Self.apiKeyChannel)', '')" : ""
        guard let change = try row("UPDATE api_key_changes SET seq = seq + 1 WHERE id = 1 RETURNING seq" + notify)?.int64("seq") else {
            throw StoreError.queryFailed("the api_key_changes row is missing; the schema was altered by hand")
        }
        apiKeyChange = change
        return change
    }

    func touchAPIKeys(_ lastUsed: [String: Date]) throws {
        for (id, at) in lastUsed.sorted(by: { $0.key < $1.key }) {
            try execute("UPDATE api_keys SET last_used_at = ? WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)",
                        [SQLValue(at), .text(id), SQLValue(at)])
        }
    }

    func recordOldKeyUses(id: String, count: Int, at: Date) throws -> Bool {
        try execute("""
            UPDATE api_keys SET old_key_uses = old_key_uses + ?,
                old_key_used_at = CASE WHEN old_key_used_at IS NULL OR old_key_used_at < ? THEN ? ELSE old_key_used_at END
            WHERE id = ?
            """, [SQLValue(count), SQLValue(at), SQLValue(at), .text(id)]).affectedRows == 1
    }

    func apiKeysUsedWhenOld(limit: Int) throws -> [APIKeyRecord] {
        try rows("SELECT \(Self.apiKeySelectColumns) FROM api_keys WHERE old_key_uses > 0 ORDER BY old_key_used_at DESC, id LIMIT ?",
                 [SQLValue(max(0, limit))]).map(APIKeyRecord.init(row:))
    }

    // MARK: Reading changes (outside any transaction, on the feed's own connection)

    /// Parameters: up-to change, after change, change of the last row read, id of the last row read, limit.
    static let apiKeyChangesQuery = """
        SELECT \(apiKeySelectColumns), change_seq FROM api_keys
        WHERE change_seq <= ? AND (change_seq > ? OR (change_seq = ? AND id > ?)) ORDER BY change_seq, id LIMIT ?
        """

    /// The counter, then every key written after `sequence` up to it, page by page through the change index.
    /// Rows stamped after the counter was read wait for the next call, so none is half-seen.
    static func apiKeyChanges(on connection: any SQLConnection, after sequence: Int64, pageSize: Int = 2000) throws -> APIKeyChanges {
        guard let current = try connection.execute("SELECT seq FROM api_key_changes WHERE id = 1").rows.first?.int64("seq") else {
            throw StoreError.queryFailed("the api_key_changes row is missing; the schema was altered by hand")
        }
        var changes = APIKeyChanges(sequence: current, keys: [])
        guard current > sequence else { return changes }
        // The first page starts after change `sequence` (no row has change -1); the next ones after the last row read.
        var after = (sequence: sequence, last: (sequence: Int64(-1), id: ""))
        while true {
            let rows = try connection.execute(apiKeyChangesQuery, [
                .int(current), .int(after.sequence), .int(after.last.sequence), .text(after.last.id), SQLValue(pageSize),
            ]).rows
            for row in rows {
                let record = try APIKeyRecord(row: row)
                let stamp = try row.int64("change_seq")
                changes.keys.append((record, stamp))
                after = (stamp, (stamp, record.id))
            }
            if rows.count < pageSize { return changes }
        }
    }
}
