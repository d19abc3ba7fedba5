import Foundation

/// The daemon's own bookkeeping — settings, reply tokens, lease locks and the schema version — inside one
/// store transaction (see ``StoreTransaction``).
public protocol SettingsTransaction {
    // MARK: Reply tokens

    func insertReplyToken(_ token: ReplyTokenRecord) throws
    func replyToken(hash: [UInt8]) throws -> ReplyTokenRecord?
    /// The token whose text-reply code has this hash (``ReplyTokens/codeHash(_:)``); codes are not stored.
    func replyToken(codeHash: [UInt8]) throws -> ReplyTokenRecord?
    /// Marks the token used; true only for the one caller that found it unused.
    func markReplyTokenUsed(id: String, at: Date) throws -> Bool

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
