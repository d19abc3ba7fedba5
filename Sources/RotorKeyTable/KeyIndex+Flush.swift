import Foundation
import RotorCore

extension KeyIndex {
    /// Writes the uses gathered since the last flush in one transaction: last uses, and uses of revoked or
    /// expired keys with their alerts (once per key per UTC day, to the key's org on the key-table's customer
    /// channels and to the `alerts:` channels).
    /// If the write fails, the uses are kept for the next flush.
    public func flush() async {
        let (touches, oldUses) = state.withLock { state in
            defer {
                state.touches.removeAll()
                state.oldUses.removeAll()
            }
            return (state.touches, state.oldUses)
        }
        guard !touches.isEmpty || !oldUses.isEmpty else { return }
        let (customerChannels, alertChannels) = (policy.noticeChannels, alertChannels)
        do {
            try await store.transaction { tx in
                try tx.touchAPIKeys(touches)
                for use in oldUses.values.sorted(by: { $0.record.id < $1.record.id }) {
                    guard try tx.recordOldKeyUses(id: use.record.id, count: use.count, at: use.last) else { continue }
                    for notice in Self.oldKeyNotices(use, customerChannels: customerChannels, alertChannels: alertChannels) {
                        try tx.enqueueNotification(notice)
                    }
                }
            }
        } catch {
            logger.error("could not write key uses; keeping them for the next try", metadata: ["error": "\(error)"])
            state.withLock { state in
                state.touches.merge(touches) { max($0, $1) }
                state.oldUses.merge(oldUses) { held, failed in
                    OldUse(record: held.record, count: held.count + failed.count, last: max(held.last, failed.last))
                }
            }
        }
    }

    /// The alert about an old key: to its org's customer channels and to each security channel, deduplicated per day.
    static func oldKeyNotices(_ use: OldUse, customerChannels: [String], alertChannels: [String]) -> [NotificationRecord] {
        let key = use.record
        let day = String(ISO8601.string(use.last).prefix(10))
        let state = key.status == .revoked ? "revoked" + (key.revokedAt.map { " at \(ISO8601.string($0))" } ?? "") : "expired"
        let subject = "[URGENT] Old API key \(key.prefix)…\(key.last4) of \(key.org) was used"
        let body = "API key \"\(key.name)\" (\(key.id), \(key.prefix)…\(key.last4)) of \(key.org) is \(state) and was presented "
            + "\(use.count) time\(use.count == 1 ? "" : "s") up to \(ISO8601.string(use.last)); every attempt was refused. "
            + "If the org did not expect this, the key may have leaked: see `rotor keys list --org \(key.org)` and the audit log."
        let customers = KeyTable.customerNotices(org: key.org, channels: customerChannels, kind: "old_key_used", urgent: true,
                                                 subject: subject, body: body, dedupe: "old_key_used:\(key.id):\(day)", at: use.last)
        let security = alertChannels.map { channel in
            NotificationRecord(id: "ntf_" + RotorIDs.random(), channel: channel, org: nil, secretName: nil, kind: "old_key_used",
                               urgent: true, subject: subject, body: body, dedupeKey: "alert:old_key_used:\(key.id):\(day):\(channel)",
                               status: .pending, attempts: 0, nextAttemptAt: use.last, createdAt: use.last)
        }
        return customers + security
    }
}
