import Foundation
import RotorCore

extension KeyTable: KeyScheduling {
    /// Rotates active keys created before `max_age - warn_before` ago, so that with the grace period none
    /// outlives `max_age`. The new key goes to a pickup slot and the org's inbox. Keys are fetched oldest
    /// first through an index, `limit` at a time: a pass costs what is due, not the table's size. Several daemons
    /// may run the pass at once: each key's rotation is a conditional update only one of them wins.
    public func rotateDueKeys(now: Date, limit: Int) async -> [TickItem] {
        let cutoff = now.addingTimeInterval(-(policy.maxAge - policy.warnBefore).timeInterval)
        var items: [TickItem] = []
        do {
            let due = try await store.transaction { try $0.activeAPIKeys(createdBefore: cutoff, limit: limit) }
            for key in due {
                do {
                    let rotation = try await rotate(id: key.id, grace: nil, trigger: .compliance, actor: "scheduler",
                                                    reason: "older than max_age - warn_before", deliverByPickup: true)
                    items.append(TickItem(subject: key.id, action: "key-rotated", state: "grace",
                                          message: "successor \(rotation.new.id); old key valid until \(ISO8601.string(rotation.graceEndsAt))"))
                } catch let error as KeyTableError where error.code == .notActive {
                    // Another daemon rotated (or someone revoked) it since the list was read: nothing to do.
                    continue
                } catch {
                    items.append(TickItem(subject: key.id, action: "error", message: "\(error)"))
                }
            }
        } catch {
            items.append(TickItem(subject: "key-table", action: "error", message: "\(error)"))
        }
        return items
    }
}
