import RotorCore

extension SQLTransaction {
    static let versionColumns = """
        id, secret_name, label, sealed_value, master_key_id, fingerprint, last4, display_prefix, source_handle, rotation_id, \
        created_at, activated_at, revoked_at
        """

    func insertVersion(_ version: SecretVersionRecord) throws {
        try execute(
            "INSERT INTO secret_versions (\(Self.versionColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            version.sqlValues
        )
    }

    func version(id: String) throws -> SecretVersionRecord? {
        try row("SELECT \(Self.versionColumns) FROM secret_versions WHERE id = ?", [.text(id)]).map(SecretVersionRecord.init(row:))
    }

    func versions(secretName: String) throws -> [SecretVersionRecord] {
        try rows(
            "SELECT \(Self.versionColumns) FROM secret_versions WHERE secret_name = ? ORDER BY created_at DESC, id DESC",
            [.text(secretName)]
        ).map(SecretVersionRecord.init(row:))
    }

    func version(secretName: String, label: VersionLabel) throws -> SecretVersionRecord? {
        try row("""
            SELECT \(Self.versionColumns) FROM secret_versions WHERE secret_name = ? AND label = ?
            ORDER BY created_at DESC, id DESC LIMIT 1
            """, [.text(secretName), SQLValue(label)]).map(SecretVersionRecord.init(row:))
    }

    func updateVersion(_ version: SecretVersionRecord) throws {
        let values = version.sqlValues
        let result = try execute("""
            UPDATE secret_versions SET secret_name = ?, label = ?, sealed_value = ?, master_key_id = ?, fingerprint = ?,
                last4 = ?, display_prefix = ?, source_handle = ?, rotation_id = ?, created_at = ?, activated_at = ?, revoked_at = ?
            WHERE id = ?
            """, Array(values.dropFirst()) + [values[0]])
        guard result.affectedRows == 1 else { throw StoreError.notFound("secret version \(version.id)") }
    }
}

extension SecretVersionRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"),
            secretName: try row.text("secret_name"),
            label: try row.value("label", as: VersionLabel.self),
            sealedValue: try row.blob("sealed_value"),
            masterKeyID: try row.text("master_key_id"),
            fingerprint: try row.text("fingerprint"),
            last4: try row.text("last4"),
            displayPrefix: try row.text("display_prefix"),
            sourceHandle: try row.optionalText("source_handle"),
            rotationID: try row.optionalText("rotation_id"),
            createdAt: try row.date("created_at"),
            activatedAt: try row.optionalDate("activated_at"),
            revokedAt: try row.optionalDate("revoked_at")
        )
    }

    /// The values in ``SQLTransaction/versionColumns`` order.
    var sqlValues: [SQLValue] {
        [
            SQLValue(id), SQLValue(secretName), SQLValue(label), SQLValue(sealedValue), SQLValue(masterKeyID),
            SQLValue(fingerprint), SQLValue(last4), SQLValue(displayPrefix), SQLValue(sourceHandle), SQLValue(rotationID), SQLValue(createdAt),
            SQLValue(activatedAt), SQLValue(revokedAt),
        ]
    }
}
