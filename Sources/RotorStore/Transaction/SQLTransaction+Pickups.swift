import Foundation
import RotorCore

extension SQLTransaction {
    static let pickupColumns = "id, new_key_id, old_key_id, sealed_key, master_key_id, created_at, expires_at, claimed_at"

    func insertPickup(_ pickup: KeyPickupRecord) throws {
        try execute("INSERT INTO key_pickups (\(Self.pickupColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            SQLValue(pickup.id), SQLValue(pickup.newKeyID), SQLValue(pickup.oldKeyID), SQLValue(pickup.sealedKey),
            SQLValue(pickup.masterKeyID), SQLValue(pickup.createdAt), SQLValue(pickup.expiresAt), SQLValue(pickup.claimedAt),
        ])
    }

    /// Unclaimed and not wiped (an expired pickup whose key was emptied has nothing left to hand out).
    func pickup(oldKeyID: String) throws -> KeyPickupRecord? {
        try row("""
            SELECT \(Self.pickupColumns) FROM key_pickups
            WHERE old_key_id = ? AND claimed_at IS NULL AND length(sealed_key) > 0
            ORDER BY created_at DESC, id DESC LIMIT 1
            """, [.text(oldKeyID)]).map(KeyPickupRecord.init(row:))
    }

    @discardableResult
    func wipePickup(id: String, claimedAt: Date) throws -> Bool {
        // Conditional, so that of two claims that both read the slot only one wipes it: on PostgreSQL the second
        // waits for the first one's row lock, then re-checks the condition against the committed row.
        let result = try execute("""
            UPDATE key_pickups SET claimed_at = ?, sealed_key = ?
            WHERE id = ? AND claimed_at IS NULL AND length(sealed_key) > 0
            """, [SQLValue(claimedAt), .blob([]), .text(id)])
        if result.affectedRows == 1 { return true }
        guard try row("SELECT id FROM key_pickups WHERE id = ?", [.text(id)]) != nil else {
            throw StoreError.notFound("key pickup \(id)")
        }
        return false
    }

    @discardableResult
    func wipeExpiredPickups(now: Date) throws -> Int {
        try execute("""
            UPDATE key_pickups SET sealed_key = ?
            WHERE claimed_at IS NULL AND expires_at <= ? AND length(sealed_key) > 0
            """, [.blob([]), SQLValue(now)]).affectedRows
    }
}

extension KeyPickupRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"),
            newKeyID: try row.text("new_key_id"),
            oldKeyID: try row.text("old_key_id"),
            sealedKey: try row.blob("sealed_key"),
            masterKeyID: try row.text("master_key_id"),
            createdAt: try row.date("created_at"),
            expiresAt: try row.date("expires_at"),
            claimedAt: try row.optionalDate("claimed_at")
        )
    }
}
