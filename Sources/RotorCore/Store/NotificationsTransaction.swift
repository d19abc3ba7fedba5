import Foundation

/// The notification outbox, inside one store transaction (see ``StoreTransaction``).
public protocol NotificationsTransaction {
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
}
