import Foundation

/// The audit log, inside one store transaction (see ``StoreTransaction``).
///
/// Every row is linked into one hash chain (``AuditChain``) as it is appended: the first append of a transaction
/// waits for the chain's head (other writers' appends queue there until this transaction ends), so rows of
/// concurrent writers, in any number of processes, form one chain in id order.
public protocol AuditTransaction {
    /// Appends the event and returns it with its assigned, increasing id.
    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> AuditEvent
    /// Events with `since <= at < until`, optionally about one subject, oldest first, at most `limit`.
    func auditEvents(since: Date?, until: Date?, subject: String?, limit: Int?) throws -> [AuditEvent]
    /// One page of the events matching `filter`, newest first (by time, then id), starting at `start`, at most `limit`:
    /// a range of one index (subject, action, actor or time), so a page costs its rows, not the log. A `start` row
    /// that does not exist gives an empty page.
    func auditEvents(matching filter: AuditFilter, start: AuditPageStart, limit: Int) throws -> [AuditEvent]
    /// How many events match `filter`, counting at most `limit` (the same index range as a page).
    func countAuditEvents(matching filter: AuditFilter, limit: Int) throws -> Int
    /// Every event matching `filter`, oldest first: what the audit page's CSV export writes.
    func auditEvents(matching filter: AuditFilter) throws -> [AuditEvent]
    /// How many real events (not written under `--now`) of each of `actions` fall in each span
    /// `bounds[i] <= at < bounds[i + 1]` (ascending bounds, at most 1,201): one range of the action index, so the cost
    /// follows the rows counted, not the rest of the log. Element `i` maps each action to its count (0 when none).
    func countAuditEvents(actions: [String], bounds: [Date]) throws -> [[String: Int]]
    /// Events with `since <= at < until` whose action is one of `actions`, oldest first, at most `limit`: the rows a
    /// period report cites. A range scan of the time index, so the cost follows the period, not the log.
    func auditEvents(since: Date, until: Date, actions: [String], limit: Int) throws -> [AuditEvent]
    /// The newest event about `subject` before `before` whose action is one of `actions` (the subject index).
    func latestAuditEvent(subject: String, before: Date, actions: [String]) throws -> AuditEvent?
    /// The oldest event about `subject` at or after `since` whose action is one of `actions` (the subject index).
    func earliestAuditEvent(subject: String, since: Date, actions: [String]) throws -> AuditEvent?
    /// Events with `since <= at < until` with their chain fields, oldest first: what an export writes.
    func chainedAuditEvents(since: Date?, until: Date?) throws -> [ChainedAuditEvent]
    /// Checks every row against the chain, and each MAC when the store holds the chain key, naming the first bad row.
    func verifyAuditChain() throws -> AuditChainVerification
    /// Gives a MAC under the chain key to every row whose MAC is missing or wrong, when the hashes link intact; audited
    /// with `actor` and `reason` (`rotor audit adopt`). Throws when the store holds no chain key or the hashes are broken.
    func adoptAuditRows(actor: String, reason: String, at now: Date) throws -> AuditAdoption
}
