import Foundation

/// Multi-row writes for work on many customer keys at once (an import, a scheduler pass over thousands of due
/// keys), inside one store transaction (see ``StoreTransaction``). Each call writes its rows with a few
/// statements, not one per row, so a batch costs a handful of round trips to the database.
public protocol BulkKeysTransaction {
    /// Inserts every key; fails (dooming the transaction) if any id or key hash is already stored.
    func insertAPIKeys(_ keys: [APIKeyRecord]) throws
    /// Of `hashes`, the ones some stored key already has: an import reports them before writing anything.
    func existingAPIKeyHashes(_ hashes: [[UInt8]]) throws -> Set<[UInt8]>
    /// Up to `limit` active keys created before the date, oldest first, locked until the transaction ends. On
    /// PostgreSQL rows another transaction holds are skipped (`FOR UPDATE SKIP LOCKED`): two daemons claiming
    /// at once split the due keys between them, and neither can mint a second successor for a key.
    func claimDueAPIKeys(createdBefore: Date, limit: Int) throws -> [APIKeyRecord]
    /// Moves the active keys `ids` to grace until `graceEndsAt`, capping each key's `expires_at` at `expiresCap`;
    /// returns how many were still active (and so moved).
    func moveAPIKeysToGrace(ids: [String], graceEndsAt: Date, expiresCap: Date) throws -> Int
    /// Deletes up to `limit` keys revoked before the date (the retention limit); returns how many. Their
    /// audit rows stay.
    func deleteAPIKeys(revokedBefore: Date, limit: Int) throws -> Int
    func insertPickups(_ pickups: [KeyPickupRecord]) throws
    /// Enqueues every notification, skipping those whose dedupe key is already queued; returns how many were new.
    @discardableResult
    func enqueueNotifications(_ notifications: [NotificationRecord]) throws -> Int
    /// Appends every event, in order (ids are not returned).
    func appendAuditEvents(_ events: [AuditEvent]) throws
}
