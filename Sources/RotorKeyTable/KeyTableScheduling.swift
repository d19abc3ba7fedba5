import Foundation
import RotorCore
import RotorCrypto

extension KeyTable: KeyScheduling {
    /// Rotates active keys created before `max_age - warn_before` ago, so that with the grace period none
    /// outlives `max_age`. The new key goes to a pickup slot and the org's inbox.
    ///
    /// Keys are rotated `rotation_batch` per transaction, oldest first through an index, until none is due, `limit`
    /// keys are done, or the pass has spent `pass_budget` (the rest is the next pass's work): a pass costs what is
    /// due, not the table's size, and a batch costs a handful of statements, not a handful per key. Several
    /// daemons may run the pass at once: each batch claims its keys with row locks (skipping locked rows on
    /// PostgreSQL; SQLite has one writer), so a key never gets two successors.
    public func rotateDueKeys(now: Date, limit: Int) async -> [TickItem] {
        let cutoff = now.addingTimeInterval(-(policy.maxAge - policy.warnBefore).timeInterval)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: policy.passBudget)
        var items: [TickItem] = []
        var remaining = max(0, limit)
        do {
            let pepper = try await pepper()
            while remaining > 0 {
                let size = min(policy.rotationBatch, remaining)
                let rotations = try await rotateBatch(cutoff: cutoff, now: now, limit: size, pepper: pepper)
                for rotation in rotations {
                    let until = ISO8601.string(rotation.graceEndsAt)
                    items.append(TickItem(subject: rotation.old.id, action: "key-rotated", state: "grace",
                                          message: "successor \(rotation.new.id); old key valid until \(until)"))
                }
                remaining -= rotations.count
                // A short batch: nothing more is due, or what is left is held by another daemon's batch.
                if rotations.count < size { break }
                if remaining > 0, clock.now >= deadline {
                    items.append(TickItem(subject: "key-table", action: "budget-spent",
                                          message: "pass_budget \(DurationText.format(policy.passBudget)) spent; "
                                            + "the remaining due keys are rotated by the next pass"))
                    break
                }
            }
        } catch {
            items.append(TickItem(subject: "key-table", action: "error", message: "\(error)"))
        }
        return items
    }

    /// Rotates up to `limit` due keys in one transaction: claims them, moves them to grace with one statement, and
    /// writes their successors, pickup slots, notices and audit rows with one multi-row statement per table.
    func rotateBatch(cutoff: Date, now: Date, limit: Int, pepper: [UInt8]) async throws -> [Rotation] {
        let graceEnds = now.addingTimeInterval(policy.grace.timeInterval)
        // The hard cap on any later extension for a key still in use (see `revoke_when_unused`).
        let cap = max(graceEnds, now.addingTimeInterval((policy.maxGrace ?? .zero).timeInterval))
        let sealer = self.sealer
        return try await store.transaction { tx -> [Rotation] in
            let due = try tx.claimDueAPIKeys(createdBefore: cutoff, limit: limit)
            guard !due.isEmpty else { return [] }
            var rotations: [Rotation] = []
            var pickups: [KeyPickupRecord] = []
            var events: [AuditEvent] = []
            rotations.reserveCapacity(due.count)
            for var old in due {
                let raw = APIKeyFormat.generate()
                let new = Self.successor(of: old, raw: raw, keyHash: self.hash(raw, pepper: pepper), at: now)
                let pickupID = "pku_" + Base62.randomString(length: 16)
                let sealed = try sealer.seal(Array(raw.utf8), context: SealingContext.pickup(id: pickupID))
                pickups.append(KeyPickupRecord(id: pickupID, newKeyID: new.id, oldKeyID: old.id, sealedKey: sealed.box,
                                               masterKeyID: sealed.keyID, createdAt: now, expiresAt: graceEnds))
                old.status = .grace
                old.graceEndsAt = graceEnds
                old.expiresAt = min(old.expiresAt ?? cap, cap)
                var event = Self.audit(new, action: "key.rotated", at: now, actor: "scheduler",
                                       trigger: RotationTrigger.compliance.rawValue)
                event.oldFingerprint = Self.fingerprint(old)
                event.oldLast4 = old.last4
                event.reason = "older than max_age - warn_before"
                event.detail = "old key \(old.id) valid until \(ISO8601.string(graceEnds))"
                events.append(event)
                rotations.append(Rotation(old: old, new: new, newKey: nil, graceEndsAt: graceEnds, pickupID: pickupID))
            }
            // The claimed rows are locked by this transaction, so all of them must still be active.
            let moved = try tx.moveAPIKeysToGrace(ids: due.map(\.id), graceEndsAt: graceEnds, expiresCap: cap)
            guard moved == due.count else {
                throw StoreError.queryFailed("\(due.count - moved) of \(due.count) claimed keys changed during their rotation")
            }
            try tx.insertAPIKeys(rotations.map(\.new))
            try tx.insertPickups(pickups)
            try tx.enqueueNotifications(rotations.flatMap {
                Self.rotatedNotice(old: $0.old, new: $0.new, graceEnds: graceEnds, pickup: true, urgent: false,
                                   channels: self.policy.noticeChannels, at: now)
            })
            try tx.appendAuditEvents(events)
            return rotations
        }
    }

    /// The key that replaces `old`: same org, name, scopes and rate limit.
    static func successor(of old: APIKeyRecord, raw: String, keyHash: [UInt8], at now: Date) -> APIKeyRecord {
        APIKeyRecord(id: "key_" + Base62.randomString(length: 16), keyHash: keyHash, prefix: APIKeyFormat.displayPrefix(raw),
                     last4: APIKeyFormat.last4(raw), org: old.org, name: old.name, scopes: old.scopes, rateLimit: old.rateLimit,
                     status: .active, createdAt: now, rotatedFrom: old.id)
    }
}
