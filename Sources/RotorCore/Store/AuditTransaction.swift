import Foundation

/// The audit log, inside one store transaction (see ``StoreTransaction``).
public protocol AuditTransaction {
    /// Appends the event and returns it with its assigned, increasing id.
    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> AuditEvent
    /// Events with `since <= at < until`, optionally about one subject, oldest first, at most `limit`.
    func auditEvents(since: Date?, until: Date?, subject: String?, limit: Int?) throws -> [AuditEvent]
    /// Events with `since <= at < until` whose action is one of `actions`, oldest first, at most `limit`: the rows a
    /// period report cites. A range scan of the time index, so the cost follows the period, not the log.
    func auditEvents(since: Date, until: Date, actions: [String], limit: Int) throws -> [AuditEvent]
    /// The newest event about `subject` before `before` whose action is one of `actions` (the subject index).
    func latestAuditEvent(subject: String, before: Date, actions: [String]) throws -> AuditEvent?
    /// The oldest event about `subject` at or after `since` whose action is one of `actions` (the subject index).
    func earliestAuditEvent(subject: String, since: Date, actions: [String]) throws -> AuditEvent?
}
