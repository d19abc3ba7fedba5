import Foundation
import RotorCore

extension SQLTransaction {
    static let apiKeyColumns = """
        id, key_hash, prefix, last4, org, name, scopes, rate_limit, status, created_at, expires_at, grace_ends_at, \
        last_used_at, rotated_from, revoked_at, revoke_reason
        """

    // The lookups that must stay index-backed at a million keys; constants so tests can check their query plans.

    /// Verifies a presented key (parameter: the HMAC).
    static let apiKeyByHashQuery = "SELECT \(apiKeyColumns) FROM api_keys WHERE key_hash = ?"
    /// Parameter: the display prefix.
    static let apiKeysByPrefixQuery = "SELECT \(apiKeyColumns) FROM api_keys WHERE prefix = ? ORDER BY id"
    /// Parameters: `active`, created-before, limit.
    static let activeAPIKeysQuery = """
        SELECT \(apiKeyColumns) FROM api_keys WHERE status = ? AND created_at < ? ORDER BY created_at, id LIMIT ?
        """
    /// Parameters: `grace`, grace-ended-before, limit.
    static let graceAPIKeysQuery = """
        SELECT \(apiKeyColumns) FROM api_keys WHERE status = ? AND grace_ends_at < ? ORDER BY grace_ends_at, id LIMIT ?
        """

    func insertAPIKey(_ key: APIKeyRecord) throws {
        try execute(
            "INSERT INTO api_keys (\(Self.apiKeyColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            key.sqlValues
        )
    }

    func apiKey(id: String) throws -> APIKeyRecord? {
        try row("SELECT \(Self.apiKeyColumns) FROM api_keys WHERE id = ?", [.text(id)]).map(APIKeyRecord.init(row:))
    }

    func apiKey(hash: [UInt8]) throws -> APIKeyRecord? {
        try row(Self.apiKeyByHashQuery, [.blob(hash)]).map(APIKeyRecord.init(row:))
    }

    func apiKeys(org: String?, status: APIKeyStatus?, limit: Int, afterID: String?) throws -> [APIKeyRecord] {
        // Conditions are added only when given, so each combination matches an index: (org, id) or (status, id).
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let org {
            conditions.append("org = ?")
            parameters.append(.text(org))
        }
        if let status {
            conditions.append("status = ?")
            parameters.append(SQLValue(status))
        }
        if let afterID {
            conditions.append("id > ?")
            parameters.append(.text(afterID))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try rows(
            "SELECT \(Self.apiKeyColumns) FROM api_keys\(filter) ORDER BY id LIMIT ?",
            parameters + [SQLValue(max(0, limit))]
        ).map(APIKeyRecord.init(row:))
    }

    func apiKeys(prefix: String) throws -> [APIKeyRecord] {
        try rows(Self.apiKeysByPrefixQuery, [.text(prefix)]).map(APIKeyRecord.init(row:))
    }

    static let updateAPIKeyStatement = """
        UPDATE api_keys SET key_hash = ?, prefix = ?, last4 = ?, org = ?, name = ?, scopes = ?, rate_limit = ?,
            status = ?, created_at = ?, expires_at = ?, grace_ends_at = ?, last_used_at = ?, rotated_from = ?,
            revoked_at = ?, revoke_reason = ?
        WHERE id = ?
        """

    func updateAPIKey(_ key: APIKeyRecord) throws {
        let values = key.sqlValues
        let result = try execute(Self.updateAPIKeyStatement, Array(values.dropFirst()) + [values[0]])
        guard result.affectedRows == 1 else { throw StoreError.notFound("API key \(key.id)") }
    }

    func updateAPIKey(_ key: APIKeyRecord, ifStatus expected: APIKeyStatus) throws -> Bool {
        // The status test is in the UPDATE itself: on PostgreSQL a second writer waits for the first one's row
        // lock, then re-checks the condition against the committed row (READ COMMITTED) and writes nothing.
        let values = key.sqlValues
        let parameters = Array(values.dropFirst()) + [values[0], SQLValue(expected)]
        return try execute(Self.updateAPIKeyStatement + " AND status = ?", parameters).affectedRows == 1
    }

    func updateAPIKey(_ key: APIKeyRecord, ifStatus expected: APIKeyStatus, graceEndsAt: Date) throws -> Bool {
        // As above: the row as read is the condition of the UPDATE, re-checked after a concurrent writer's commit.
        let values = key.sqlValues
        let parameters = Array(values.dropFirst()) + [values[0], SQLValue(expected), SQLValue(graceEndsAt)]
        return try execute(Self.updateAPIKeyStatement + " AND status = ? AND grace_ends_at = ?", parameters).affectedRows == 1
    }

    func touchAPIKey(id: String, at: Date) throws {
        let result = try execute("UPDATE api_keys SET last_used_at = ? WHERE id = ?", [SQLValue(at), .text(id)])
        guard result.affectedRows == 1 else { throw StoreError.notFound("API key \(id)") }
    }

    func activeAPIKeys(createdBefore: Date, limit: Int) throws -> [APIKeyRecord] {
        try rows(Self.activeAPIKeysQuery, [SQLValue(APIKeyStatus.active), SQLValue(createdBefore), SQLValue(max(0, limit))]).map(APIKeyRecord.init(row:))
    }

    func graceAPIKeys(graceEndedBefore: Date, limit: Int) throws -> [APIKeyRecord] {
        try rows(Self.graceAPIKeysQuery, [SQLValue(APIKeyStatus.grace), SQLValue(graceEndedBefore), SQLValue(max(0, limit))]).map(APIKeyRecord.init(row:))
    }

    func countAPIKeys(status: APIKeyStatus?) throws -> Int {
        let row = if let status {
            try row("SELECT COUNT(*) AS n FROM api_keys WHERE status = ?", [SQLValue(status)])
        } else {
            try row("SELECT COUNT(*) AS n FROM api_keys")
        }
        return try row?.int("n") ?? 0
    }

    func countAPIKeys(status: APIKeyStatus, createdBefore: Date) throws -> Int {
        try row("SELECT COUNT(*) AS n FROM api_keys WHERE status = ? AND created_at < ?",
                [SQLValue(status), SQLValue(createdBefore)])?.int("n") ?? 0
    }
}

extension APIKeyRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"),
            keyHash: try row.blob("key_hash"),
            prefix: try row.text("prefix"),
            last4: try row.text("last4"),
            org: try row.text("org"),
            name: try row.text("name"),
            scopes: try row.stringArray("scopes"),
            rateLimit: try row.optionalInt("rate_limit"),
            status: try row.value("status", as: APIKeyStatus.self),
            createdAt: try row.date("created_at"),
            expiresAt: try row.optionalDate("expires_at"),
            graceEndsAt: try row.optionalDate("grace_ends_at"),
            lastUsedAt: try row.optionalDate("last_used_at"),
            rotatedFrom: try row.optionalText("rotated_from"),
            revokedAt: try row.optionalDate("revoked_at"),
            revokeReason: try row.optionalText("revoke_reason")
        )
    }

    /// The values in ``SQLTransaction/apiKeyColumns`` order.
    var sqlValues: [SQLValue] {
        [
            SQLValue(id), SQLValue(keyHash), SQLValue(prefix), SQLValue(last4), SQLValue(org), SQLValue(name),
            SQLValue(jsonArray: scopes), SQLValue(rateLimit), SQLValue(status), SQLValue(createdAt), SQLValue(expiresAt),
            SQLValue(graceEndsAt), SQLValue(lastUsedAt), SQLValue(rotatedFrom), SQLValue(revokedAt), SQLValue(revokeReason),
        ]
    }
}
