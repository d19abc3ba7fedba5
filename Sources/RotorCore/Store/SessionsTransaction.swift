import Foundation

/// The dashboard's persisted sessions (``SessionRecord``), inside one store transaction (see ``StoreTransaction``).
///
/// A session whose `expiresAt` is not after `now` is gone for every operation here, whether or not its row has
/// been pruned yet.
public protocol SessionsTransaction {
    /// Stores `session` unless its key holds a session that has not expired at `now` (an expired one is replaced);
    /// returns false, storing nothing, when it does.
    func insertSession(_ session: SessionRecord, now: Date) throws -> Bool
    /// Stores `session` under its key, replacing whatever is there. A nil `expiresAt` keeps the expiry of the
    /// session it replaces; the replaced session's `createdAt` is kept too.
    func upsertSession(_ session: SessionRecord) throws
    /// The session under `keyHash`, or nil when there is none or it has expired at `now`.
    func session(keyHash: String, now: Date) throws -> SessionRecord?
    /// Deletes the session under `keyHash`, if any.
    func deleteSession(keyHash: String) throws
    /// Deletes up to `limit` sessions expired at `now`, the longest expired first; returns how many it deleted.
    @discardableResult
    func deleteExpiredSessions(now: Date, limit: Int) throws -> Int
}
