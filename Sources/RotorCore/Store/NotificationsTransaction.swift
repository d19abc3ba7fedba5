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
    /// Records a delivery by `owner`, who must still hold the row's lease: ``StoreError/Code/leaseLost`` when the
    /// lease expired and another owner claimed the row (its state is theirs), ``StoreError/Code/notFound`` when
    /// there is no such row.
    func markNotificationSent(id: String, owner: String, at: Date) throws
    /// Records a failed attempt by `owner` (who must still hold the lease, as for ``markNotificationSent(id:owner:at:)``):
    /// retried at `nextAttemptAt` (status `pending`), or given up (status `failed`) if nil.
    func markNotificationFailed(id: String, owner: String, error: String, nextAttemptAt: Date?, at: Date) throws
    /// Notifications, newest first, optionally filtered by organisation and secret.
    func notifications(org: String?, secretName: String?, limit: Int) throws -> [NotificationRecord]
    /// How many notifications are in one of `statuses` (the outbox depth of `/metrics`).
    func countNotifications(statuses: [NotificationStatus]) throws -> Int
}
