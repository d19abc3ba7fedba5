import Foundation

/// The typed operations of one store transaction.
///
/// A value of this type is valid only inside the `body` passed to ``Store/transaction(_:)`` and only on the
/// thread that runs it (hence not `Sendable`). Timestamps are stored as whole milliseconds since 1970 (UTC):
/// a `Date` with a finer fraction reads back rounded to the millisecond.
public protocol StoreTransaction {
    // MARK: Secrets

    /// Inserts the secret or replaces the record with the same name.
    func upsertSecret(_ secret: SecretRecord) throws
    func secret(named name: String) throws -> SecretRecord?
    /// Every secret, ordered by name.
    func allSecrets() throws -> [SecretRecord]
    /// Deletes the secret with its versions, rotations and their journals. No error if it does not exist.
    func deleteSecret(named name: String) throws

    // MARK: Versions

    /// Inserts a version; a second `current` version for one secret is refused by the database
    /// (``StoreError/Code/constraintViolation``): demote the old one first, in the same transaction.
    func insertVersion(_ version: SecretVersionRecord) throws
    func version(id: String) throws -> SecretVersionRecord?
    /// Every version of the secret, newest first.
    func versions(secretName: String) throws -> [SecretVersionRecord]
    /// The newest version of the secret with that label.
    func version(secretName: String, label: VersionLabel) throws -> SecretVersionRecord?
    /// Replaces the version with the same id; ``StoreError/Code/notFound`` if there is none.
    func updateVersion(_ version: SecretVersionRecord) throws

    // MARK: Rotations

    /// Inserts a rotation. A second active rotation for one secret throws
    /// ``StoreError/activeRotationExists(rotationID:)`` naming the active one.
    func insertRotation(_ rotation: RotationRecord) throws
    func rotation(id: String) throws -> RotationRecord?
    /// Every rotation of the secret, newest first.
    func rotations(secretName: String) throws -> [RotationRecord]
    /// The secret's active rotation (see ``RotationState/isActive``), if any.
    func activeRotation(secretName: String) throws -> RotationRecord?
    /// Every active rotation, oldest first.
    func activeRotations() throws -> [RotationRecord]
    /// Every rotation in one of `states`, oldest first.
    func rotations(states: [RotationState]) throws -> [RotationRecord]
    /// Replaces the rotation with the same id; ``StoreError/Code/notFound`` if there is none,
    /// ``StoreError/activeRotationExists(rotationID:)`` if it would make a second active rotation.
    func updateRotation(_ rotation: RotationRecord) throws
    /// Takes the lease if it is free, expired, or already ours: sets owner/expiry, fence += 1, returns the updated
    /// record; nil if held by another (or if the rotation does not exist).
    /// On PostgreSQL the row is selected with `FOR UPDATE SKIP LOCKED`, so a row another daemon is claiming
    /// right now counts as held.
    func claimRotation(id: String, owner: String, until: Date, now: Date) throws -> RotationRecord?

    // MARK: Journal

    /// Appends a journal entry with the next `seq` of that rotation (1 for the first).
    @discardableResult
    func appendJournal(rotationID: String, step: String, phase: JournalPhase, detail: String?, at: Date) throws -> JournalEntry
    /// The rotation's journal, by `seq`.
    func journal(rotationID: String) throws -> [JournalEntry]

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
    /// Records a use of the key.
    func touchAPIKey(id: String, at: Date) throws
    /// Active keys created before the date, oldest first: the ones due for rotation.
    func activeAPIKeys(createdBefore: Date, limit: Int) throws -> [APIKeyRecord]
    /// Keys in grace whose grace ended before the date, earliest first: the ones due for revocation.
    func graceAPIKeys(graceEndedBefore: Date, limit: Int) throws -> [APIKeyRecord]
    func countAPIKeys(status: APIKeyStatus?) throws -> Int

    // MARK: Key pickups

    func insertPickup(_ pickup: KeyPickupRecord) throws
    /// The newest unclaimed pickup waiting for the holder of `oldKeyID`.
    func pickup(oldKeyID: String) throws -> KeyPickupRecord?
    /// Marks the pickup claimed and overwrites its sealed key with empty bytes.
    func wipePickup(id: String, claimedAt: Date) throws
    /// Empties the sealed key of every unclaimed pickup that expired at or before `now`; returns how many.
    @discardableResult
    func wipeExpiredPickups(now: Date) throws -> Int

    // MARK: Notifications (outbox)

    /// Enqueues the notification; returns false (no error) if one with the same dedupe key already exists.
    @discardableResult
    func enqueueNotification(_ notification: NotificationRecord) throws -> Bool
    /// Claims up to `limit` notifications that are due (`nextAttemptAt <= now`) and pending, or sending under an
    /// expired lease: they become `sending` under `owner`'s lease and their attempt count goes up by one.
    /// Concurrent claimers never receive the same notification (PostgreSQL: `FOR UPDATE SKIP LOCKED`).
    func claimNotifications(now: Date, owner: String, leaseUntil: Date, limit: Int) throws -> [NotificationRecord]
    func markNotificationSent(id: String, at: Date) throws
    /// Records a failed attempt: retried at `nextAttemptAt` (status `pending`), or given up (status `failed`) if nil.
    func markNotificationFailed(id: String, error: String, nextAttemptAt: Date?, at: Date) throws
    /// Notifications, newest first, optionally filtered by organisation and secret.
    func notifications(org: String?, secretName: String?, limit: Int) throws -> [NotificationRecord]

    // MARK: Reply tokens

    func insertReplyToken(_ token: ReplyTokenRecord) throws
    func replyToken(hash: [UInt8]) throws -> ReplyTokenRecord?
    /// The token whose text-reply code has this hash (``ReplyTokens/codeHash(_:)``); codes are not stored.
    func replyToken(codeHash: [UInt8]) throws -> ReplyTokenRecord?
    /// Marks the token used; true only for the one caller that found it unused.
    func markReplyTokenUsed(id: String, at: Date) throws -> Bool

    // MARK: Audit

    /// Appends the event and returns it with its assigned, increasing id.
    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> AuditEvent
    /// Events with `since <= at < until`, optionally about one subject, oldest first, at most `limit`.
    func auditEvents(since: Date?, until: Date?, subject: String?, limit: Int?) throws -> [AuditEvent]

    // MARK: Settings and locks

    /// A stored setting (sealed pepper, reply-token key, …), or nil.
    func setting(_ key: String) throws -> [UInt8]?
    func setSetting(_ key: String, _ value: [UInt8]) throws
    /// Stores `value` under `key` unless the key exists, and returns what the store holds afterwards:
    /// two processes creating the same setting at once end up using the same value.
    func insertSettingIfAbsent(_ key: String, _ value: [UInt8]) throws -> [UInt8]

    // MARK: Schema

    /// The highest schema migration applied to this database.
    func schemaVersion() throws -> Int
    /// Named lease lock (daemon leadership, SQLite single-daemon rule): acquired if free, expired, or ours;
    /// returns the fence (incremented on every acquisition) or nil if another owner holds it.
    func acquireLock(name: String, owner: String, until: Date, now: Date) throws -> Int64?
    /// Releases the lock if `owner` holds it; otherwise does nothing.
    func releaseLock(name: String, owner: String) throws
    /// Who holds the named lock now, and until when (nil when free).
    func lockHolder(name: String) throws -> (owner: String, until: Date)?
}
