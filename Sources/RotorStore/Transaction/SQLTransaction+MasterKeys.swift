import RotorCore

/// The queries `rotor rekey` and the readiness check need: which master keys sealed what, and re-sealing.
extension SQLTransaction {
    func versions(sealedNotUnder masterKeyID: String, limit: Int) throws -> [SecretVersionRecord] {
        try rows(
            "SELECT \(Self.versionColumns) FROM secret_versions WHERE master_key_id <> ? ORDER BY id LIMIT ?",
            [.text(masterKeyID), SQLValue(limit)]
        ).map(SecretVersionRecord.init(row:))
    }

    func versionMasterKeyIDs() throws -> Set<String> {
        Set(try rows("SELECT DISTINCT master_key_id FROM secret_versions").map { try $0.text("master_key_id") })
    }

    func pickups(sealedNotUnder masterKeyID: String, limit: Int) throws -> [KeyPickupRecord] {
        try rows("""
            SELECT \(Self.pickupColumns) FROM key_pickups
            WHERE master_key_id <> ? AND length(sealed_key) > 0 ORDER BY id LIMIT ?
            """, [.text(masterKeyID), SQLValue(limit)]).map(KeyPickupRecord.init(row:))
    }

    func resealPickup(id: String, sealedKey: [UInt8], masterKeyID: String) throws {
        let result = try execute("UPDATE key_pickups SET sealed_key = ?, master_key_id = ? WHERE id = ?",
                                 [.blob(sealedKey), .text(masterKeyID), .text(id)])
        guard result.affectedRows == 1 else { throw StoreError.notFound("key pickup \(id)") }
    }

    func pickupMasterKeyIDs() throws -> Set<String> {
        Set(try rows("SELECT DISTINCT master_key_id FROM key_pickups WHERE length(sealed_key) > 0")
            .map { try $0.text("master_key_id") })
    }
}
