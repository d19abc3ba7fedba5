import Foundation

/// The own (customer) API keys and the pickups of their sealed successors, inside one store transaction
/// (see ``StoreTransaction``).
public protocol APIKeysTransaction {
    // MARK: Own API keys (every lookup is index-backed: the table must scale to millions of rows)

    func insertAPIKey(_ key: APIKeyRecord) throws
    func apiKey(id: String) throws -> APIKeyRecord?
    /// The key whose HMAC is `hash`: how a presented key is verified.
    func apiKey(hash: [UInt8]) throws -> APIKeyRecord?
    /// One page of keys ordered by id, optionally filtered; pass the last id of a page as `afterID` for the next.
    func apiKeys(org: String?, status: APIKeyStatus?, limit: Int, afterID: String?) throws -> [APIKeyRecord]
    /// Keys with exactly this display prefix.
    func apiKeys(prefix: String) throws -> [APIKeyRecord]
    /// Replaces the key with the same id; ``StoreError/Code/notFound`` if there is none.
    func updateAPIKey(_ key: APIKeyRecord) throws
    /// Replaces the key only while its stored status is still `expected`, and says whether it did: false (nothing
    /// written) when there is no such key or another process changed its status first. Two daemons that read the
    /// same active key both try; exactly one wins, so a key never gets two successors.
    func updateAPIKey(_ key: APIKeyRecord, ifStatus expected: APIKeyStatus) throws -> Bool
    /// Replaces the key only while its stored status is still `expected` and its grace still ends at `graceEndsAt`
    /// (the row as the caller read it), and says whether it did. Two daemons ending (or extending) the same grace
    /// both try; exactly one writes, so the end is audited once.
    func updateAPIKey(_ key: APIKeyRecord, ifStatus expected: APIKeyStatus, graceEndsAt: Date) throws -> Bool
    /// Records a use of the key.
    func touchAPIKey(id: String, at: Date) throws
    /// Active keys created before the date, oldest first: the ones due for rotation.
    func activeAPIKeys(createdBefore: Date, limit: Int) throws -> [APIKeyRecord]
    /// Keys in grace whose grace ended before the date, earliest first: the ones due for revocation.
    func graceAPIKeys(graceEndedBefore: Date, limit: Int) throws -> [APIKeyRecord]
    func countAPIKeys(status: APIKeyStatus?) throws -> Int
    /// How many keys in `status` were created before the date (index-backed, like ``activeAPIKeys(createdBefore:limit:)``).
    func countAPIKeys(status: APIKeyStatus, createdBefore: Date) throws -> Int

    // MARK: Key pickups

    func insertPickup(_ pickup: KeyPickupRecord) throws
    /// The newest unclaimed pickup waiting for the holder of `oldKeyID`.
    func pickup(oldKeyID: String) throws -> KeyPickupRecord?
    /// Marks the pickup claimed and overwrites its sealed key with empty bytes, only while it is still unclaimed
    /// and unwiped; returns false when another claim (or expiry) got there first, so a slot is handed out at most
    /// once. ``StoreError/Code/notFound`` if there is no such pickup.
    @discardableResult
    func wipePickup(id: String, claimedAt: Date) throws -> Bool
    /// Empties the sealed key of every unclaimed pickup that expired at or before `now`; returns how many.
    @discardableResult
    func wipeExpiredPickups(now: Date) throws -> Int

    // MARK: Master key (`rotor rekey`, readiness)

    /// Up to `limit` pickups still holding a key (not claimed or wiped) sealed under a master key other than
    /// `masterKeyID`, by id.
    func pickups(sealedNotUnder masterKeyID: String, limit: Int) throws -> [KeyPickupRecord]
    /// Replaces the sealed key of a pickup with the same key sealed under `masterKeyID`.
    func resealPickup(id: String, sealedKey: [UInt8], masterKeyID: String) throws
    /// Ids of the master keys the pickups still holding a key are sealed under.
    func pickupMasterKeyIDs() throws -> Set<String>
}
