import Foundation
import RotorCore

extension SQLTransaction {
    static let notificationColumns = """
        id, channel, org, secret_name, kind, urgent, subject, body, dedupe_key, status, attempts, next_attempt_at, \
        lease_owner, lease_expires_at, last_error, created_at, sent_at, event
        """

    @discardableResult
    func enqueueNotification(_ notification: NotificationRecord) throws -> Bool {
        let n = notification
        return try execute("""
            INSERT INTO notifications (\(Self.notificationColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (dedupe_key) DO NOTHING
            """, [
                SQLValue(n.id), SQLValue(n.channel), SQLValue(n.org), SQLValue(n.secretName), SQLValue(n.kind), SQLValue(n.urgent),
                SQLValue(n.subject), SQLValue(n.body), SQLValue(n.dedupeKey), SQLValue(n.status), SQLValue(n.attempts),
                SQLValue(n.nextAttemptAt), SQLValue(n.leaseOwner), SQLValue(n.leaseExpiresAt), SQLValue(n.lastError),
                SQLValue(n.createdAt), SQLValue(n.sentAt), SQLValue(n.event),
            ]).affectedRows == 1
    }

    func claimNotifications(now: Date, owner: String, leaseUntil: Date, limit: Int) throws -> [NotificationRecord] {
        guard limit > 0 else { return [] }
        let due = try rows("""
            SELECT \(Self.notificationColumns) FROM notifications
            WHERE next_attempt_at <= ? AND (status = ? OR (status = ? AND lease_expires_at <= ?))
            ORDER BY next_attempt_at, id LIMIT ?\(dialect.forUpdateSkipLocked)
            """, [
                SQLValue(now), SQLValue(NotificationStatus.pending), SQLValue(NotificationStatus.sending), SQLValue(now),
                SQLValue(limit),
            ]).map(NotificationRecord.init(row:))
        guard !due.isEmpty else { return [] }
        try execute("""
            UPDATE notifications SET status = ?, lease_owner = ?, lease_expires_at = ?, attempts = attempts + 1
            WHERE id IN (\(Self.placeholders(due.count)))
            """, [SQLValue(NotificationStatus.sending), .text(owner), SQLValue(leaseUntil)] + due.map { .text($0.id) })
        return due.map { notification in
            var claimed = notification
            claimed.status = .sending
            claimed.leaseOwner = owner
            claimed.leaseExpiresAt = leaseUntil
            claimed.attempts += 1
            return claimed
        }
    }

    func markNotificationSent(id: String, owner: String, at: Date) throws {
        let result = try execute("""
            UPDATE notifications SET status = ?, sent_at = ?, lease_owner = NULL, lease_expires_at = NULL, last_error = NULL
            WHERE id = ? AND status = ? AND lease_owner = ?
            """, [SQLValue(NotificationStatus.sent), SQLValue(at), .text(id), SQLValue(NotificationStatus.sending), .text(owner)])
        try requireLease(result, id: id)
    }

    /// A mark that matched no row: the row is gone, or its lease is no longer `owner`'s (it expired and another
    /// deliverer re-claimed it, and may have recorded its own outcome since). Either way nothing was written.
    private func requireLease(_ result: SQLResult, id: String) throws {
        guard result.affectedRows != 1 else { return }
        guard try row("SELECT id FROM notifications WHERE id = ?", [.text(id)]) != nil else {
            throw StoreError.notFound("notification \(id)")
        }
        throw StoreError.leaseLost("notification \(id)")
    }

    /// When giving up, `at` becomes `nextAttemptAt`: the column must hold a time, and the last attempt's is the
    /// one a reader of the outbox wants to see.
    func markNotificationFailed(id: String, owner: String, error: String, nextAttemptAt: Date?, at: Date) throws {
        let status: NotificationStatus = nextAttemptAt == nil ? .failed : .pending
        let result = try execute("""
            UPDATE notifications SET status = ?, last_error = ?, next_attempt_at = ?, lease_owner = NULL, lease_expires_at = NULL
            WHERE id = ? AND status = ? AND lease_owner = ?
            """, [SQLValue(status), .text(error), SQLValue(nextAttemptAt ?? at), .text(id), SQLValue(NotificationStatus.sending),
                  .text(owner)])
        try requireLease(result, id: id)
    }

    func notifications(org: String?, secretName: String?, limit: Int) throws -> [NotificationRecord] {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        if let org {
            conditions.append("org = ?")
            parameters.append(.text(org))
        }
        if let secretName {
            conditions.append("secret_name = ?")
            parameters.append(.text(secretName))
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return try rows(
            "SELECT \(Self.notificationColumns) FROM notifications\(filter) ORDER BY created_at DESC, id DESC LIMIT ?",
            parameters + [SQLValue(max(0, limit))]
        ).map(NotificationRecord.init(row:))
    }
}

extension SQLTransaction {
    func countNotifications(statuses: [NotificationStatus]) throws -> Int {
        guard !statuses.isEmpty else { return 0 }
        let row = try row("SELECT COUNT(*) AS n FROM notifications WHERE status IN (\(Self.placeholders(statuses.count)))",
                          statuses.map { SQLValue($0) })
        return try row?.int("n") ?? 0
    }
}

extension NotificationRecord {
    init(row: SQLRow) throws {
        self.init(
            id: try row.text("id"),
            channel: try row.text("channel"),
            org: try row.optionalText("org"),
            secretName: try row.optionalText("secret_name"),
            kind: try row.text("kind"),
            urgent: try row.bool("urgent"),
            subject: try row.text("subject"),
            body: try row.text("body"),
            dedupeKey: try row.text("dedupe_key"),
            status: try row.value("status", as: NotificationStatus.self),
            attempts: try row.int("attempts"),
            nextAttemptAt: try row.date("next_attempt_at"),
            leaseOwner: try row.optionalText("lease_owner"),
            leaseExpiresAt: try row.optionalDate("lease_expires_at"),
            lastError: try row.optionalText("last_error"),
            createdAt: try row.date("created_at"),
            sentAt: try row.optionalDate("sent_at"),
            event: try row.optionalText("event")
        )
    }
}
