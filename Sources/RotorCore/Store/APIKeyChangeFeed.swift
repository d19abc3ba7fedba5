/// Follows the customer key table from outside any transaction, for the in-memory key index of a server.
///
/// Every committed write to a key raises a change counter and stamps the keys it wrote with it, so "what changed
/// since N" is one indexed read, and a server that knows counter N has seen every key as of N. On PostgreSQL
/// the writers also announce each change (`NOTIFY`), which a dedicated listening connection waits for; on
/// SQLite a reader polls the counter.
public protocol APIKeyChangeFeed: Sendable {
    /// Every key written after change `sequence` (all keys for -1), in change order, and the counter they
    /// reflect, read on the feed's own connection.
    func changes(after sequence: Int64) async throws -> APIKeyChanges

    /// Returns once a change has been announced (PostgreSQL) or after `timeout`, whichever is first, and says
    /// whether one was. A feed without announcements (SQLite) just waits `timeout`. Never throws: a lost
    /// listening connection is retried on the next call, and the caller reads ``changes(after:)`` either way.
    @discardableResult
    func waitForChange(timeout: Duration) async -> Bool

    /// Closes the feed's connections.
    func close() async
}

/// What ``APIKeyChangeFeed/changes(after:)`` read: the keys and the change counter they bring a reader up to.
public struct APIKeyChanges: Sendable {
    /// The counter as of the read: pass it to the next ``APIKeyChangeFeed/changes(after:)``.
    public var sequence: Int64
    /// The keys written after the previous counter, each with the change that wrote it last.
    public var keys: [(record: APIKeyRecord, sequence: Int64)]

    public init(sequence: Int64, keys: [(record: APIKeyRecord, sequence: Int64)]) {
        self.sequence = sequence
        self.keys = keys
    }
}
