import Foundation

/// The audit log, inside one store transaction (see ``StoreTransaction``).
public protocol AuditTransaction {
    /// Appends the event and returns it with its assigned, increasing id.
    @discardableResult
    func appendAudit(_ event: AuditEvent) throws -> AuditEvent
    /// Events with `since <= at < until`, optionally about one subject, oldest first, at most `limit`.
    func auditEvents(since: Date?, until: Date?, subject: String?, limit: Int?) throws -> [AuditEvent]
}
