import Foundation
import RotorCore

extension KeyTable: MaintenanceTask {
    /// Ends grace periods and wipes expired pickup slots. Work is fetched in pages by index, so a pass
    /// costs what is due, not the size of the table.
    public func tick(now: Date) async -> [TickItem] {
        var items: [TickItem] = []
        do {
            while true {
                let due = try await store.transaction { try $0.graceAPIKeys(graceEndedBefore: now, limit: 500) }
                if due.isEmpty { break }
                var progressed = false
                for key in due {
                    if let item = try await endGrace(key, now: now) {
                        items.append(item)
                        progressed = true
                    }
                }
                if !progressed || due.count < 500 { break }
            }
            let wiped = try await store.transaction { try $0.wipeExpiredPickups(now: now) }
            if wiped > 0 {
                items.append(TickItem(subject: "key-table", action: "pickups-wiped", message: "\(wiped) unclaimed pickup slot(s) expired and were wiped"))
            }
        } catch {
            items.append(TickItem(subject: "key-table", action: "error", message: "\(error)"))
        }
        return items
    }

    /// Revokes a key whose grace ended, unless it was used recently and the policy lets its grace grow
    /// (a key shipped inside a mobile app): then the grace is extended, up to `max_grace`, and the org told.
    private func endGrace(_ key: APIKeyRecord, now: Date) async throws -> TickItem? {
        try await store.transaction { tx -> TickItem? in
            guard var current = try tx.apiKey(id: key.id), current.status == .grace,
                  let ends = current.graceEndsAt, ends <= now else { return nil }
            if let window = self.policy.revokeWhenUnused, let used = current.lastUsedAt,
               used >= now.addingTimeInterval(-window.timeInterval) {
                // `expires_at` was set to the hard cap (rotation time + max_grace) when the key was rotated.
                let extended = min(now.addingTimeInterval(window.timeInterval), current.expiresAt ?? ends)
                if extended > ends {
                    current.graceEndsAt = extended
                    // Conditional: a second daemon that read the same grace writes (and audits) nothing.
                    guard try tx.updateAPIKey(current, ifStatus: .grace, graceEndsAt: ends) else { return nil }
                    for notice in Self.customerNotices(
                        org: current.org, channels: self.policy.noticeChannels, kind: "key_grace_extended", urgent: false,
                        subject: "Old API key \(current.prefix)…\(current.last4) is still in use",
                        body: "Your old API key \"\(current.name)\" (\(current.prefix)…\(current.last4)) was used in the last "
                            + "\(DurationText.format(window)), so it keeps working until \(ISO8601.string(extended)). "
                            + "Switch to the new key before then.",
                        dedupe: "key_grace_extended:\(current.id):\(Int(extended.timeIntervalSince1970))", at: now) {
                        try tx.enqueueNotification(notice)
                    }
                    var event = Self.audit(current, action: "key.grace_extended", at: now, actor: "rotor", trigger: "schedule")
                    event.detail = "still used; grace until \(ISO8601.string(extended))"
                    try tx.appendAudit(event)
                    return TickItem(subject: current.id, action: "grace-extended", state: "grace",
                                    message: "used recently; grace extended to \(ISO8601.string(extended))")
                }
            }
            current.status = .revoked
            current.revokedAt = now
            current.revokeReason = "grace ended"
            guard try tx.updateAPIKey(current, ifStatus: .grace, graceEndsAt: ends) else { return nil }
            try tx.appendAudit(Self.audit(current, action: "key.revoked", at: now, actor: "rotor", trigger: "schedule"))
            return TickItem(subject: current.id, action: "revoked", state: "revoked", message: "grace ended; old key revoked")
        }
    }
}
