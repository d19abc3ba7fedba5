import Foundation

/// The alerts and lifecycle messages a rotation's change of state raises, as the runner persists it.
public struct RotationAlerts: Sendable {
    /// The secret's playbook (channels, `notify_on`, targets, schedule) and rotor.yml's `alerts:`.
    public var playbook: Playbook
    public var alerts: AlertsConfig
    /// After an undo that could not finish: what each target holds, one line per target.
    public var holdings: [String]?
    /// The old key's revoke failed and will be retried: the rotation stays `revoking`.
    public var revokeStalled: Bool
    /// Targets written so far, of all, while propagating.
    public var progress: (done: Int, total: Int)?

    public init(playbook: Playbook, alerts: AlertsConfig, holdings: [String]? = nil, revokeStalled: Bool = false,
                progress: (done: Int, total: Int)? = nil) {
        self.playbook = playbook
        self.alerts = alerts
        self.holdings = holdings
        self.revokeStalled = revokeStalled
        self.progress = progress
    }

    var audience: AlertAudience { AlertAudience(playbook: playbook, alerts: alerts) }
    var targetNames: [String] { playbook.targets.map(\.label) }

    /// Enqueues what `rotation` (as just written, formerly in `previous`; nil when it was just created) calls for.
    public func enqueue(_ tx: any NotificationsTransaction, rotation: RotationRecord, previous: RotationState?,
                        old: SecretVersionSummary?, new: SecretVersionSummary?, at now: Date) throws {
        for (event, dedupe) in events(rotation: rotation, previous: previous, old: old, new: new, at: now) {
            try Alerts.enqueue(event, channels: audience.channels(for: event.type), dedupe: dedupe, into: tx)
        }
    }

    /// The events with their dedupe keys; pure, for tests.
    public func events(rotation r: RotationRecord, previous: RotationState?, old: SecretVersionSummary?,
                       new: SecretVersionSummary?, at now: Date) -> [(AlertEvent, String)] {
        let changed = previous != r.state
        let secret = r.secretName
        let oldKey = old.map(AlertEvent.Version.init)
        let newKey = new.map(AlertEvent.Version.init)
        func event(_ type: AlertType, summary: String, done: String, fix: String?, targets: [String]? = nil) -> (AlertEvent, String) {
            (AlertEvent(type: type, secret: secret, state: r.state.rawValue, rotationID: r.id, old: oldKey, new: newKey,
                        targets: targets ?? targetNames, summary: summary, done: done, fix: fix, at: now),
             Alerts.dedupeKey(rotationID: r.id, type))
        }
        let reason = r.error ?? "no reason recorded"
        var out: [(AlertEvent, String)] = []
        if previous == nil {
            if r.trigger == .emergency {
                out.append(event(.emergencyStarted, summary: "Emergency rotation of \(secret) started by \(r.actor): \(r.reason ?? "no reason given").",
                                 done: "minting a new key and writing it to every target now; the old key is revoked after a short grace"
                                    + (r.revokeImmediately ? " (immediately once the new one is verified)" : ""),
                                 fix: "rotor status \(secret)"))
            }
            out.append(event(.started, summary: "Rotating \(secret) (\(r.trigger.rawValue), by \(r.actor)).",
                             done: "minting a new key; \(targetNames.count) target\(targetNames.count == 1 ? "" : "s") and "
                                + "\(playbook.checks.count) check\(playbook.checks.count == 1 ? "" : "s") follow", fix: nil))
            return out
        }
        if let progress, (r.state == .propagating && progress.done > 0) || (changed && r.state == .verifying) {
            var (ev, key) = event(.progress, summary: "\(secret): updating targets \(progress.done)/\(progress.total).",
                                  done: r.state == .verifying ? "every target updated; running the checks" : "writing the new key to each target",
                                  fix: nil)
            key += ":\(progress.done)"
            ev.state = r.state.rawValue
            out.append((ev, key))
        }
        if revokeStalled {
            out.append(event(.revokeStalled, summary: "The old key of \(secret) could not be revoked: \(reason).",
                             done: "the new key \(newKey?.display ?? "") is live and verified on every target; the old key "
                                + "\(oldKey?.display ?? "") still works at its source; every `rotor tick` retries the revoke",
                             fix: "fix the source's access, then run `rotor tick`; or revoke \(oldKey?.display ?? "the old key") by hand at the vendor"))
            return out
        }
        guard changed else { return out }
        switch r.state {
        case .rolledBack:
            let revoked = new == nil ? "no new key was made" : "the new key \(newKey!.display) is revoked"
            out.append(event(.rolledBack, summary: "Rotation of \(secret) failed and was rolled back: \(reason).",
                             done: "every target holds the previous key \(oldKey?.display ?? "") again; \(revoked)",
                             fix: "fix the cause above, then run `rotor rotate \(secret)`"))
        case .failed:
            out.append(event(.failed, summary: "Rotation of \(secret) failed and its rollback could not finish: \(reason).",
                             done: "Rotor undid what it could; the new key stays valid so that no target breaks; every "
                                + "`rotor tick` retries the undo. What each target holds now is listed below",
                             fix: "fix the cause above and run `rotor tick` (it retries the undo); `rotor history \(secret)` shows every step",
                             targets: holdings ?? targetNames))
        case .grace, .completed:
            // Straight to completed (revoke immediately) also means the new key went live just now.
            if r.state == .grace || (previous != .grace && previous != .revoking) {
                let ends = r.graceEndsAt.map { "at \(ISO8601.string($0))" } ?? "now"
                out.append(event(.completed, summary: "\(secret) rotated: the new key \(newKey?.display ?? "") is live and verified on every target.",
                                 done: "updated \(targetNames.joined(separator: ", ")); the old key \(oldKey?.display ?? "") is revoked \(ends)",
                                 fix: nil))
                if r.trigger == .emergency {
                    out.append(event(.emergencyFinished, summary: "Emergency rotation of \(secret) finished: the new key is live on every target.",
                                     done: "the leaked key \(oldKey?.display ?? "") is revoked \(ends)", fix: "rotor status \(secret)"))
                }
            }
            if r.state == .completed {
                let next = Scheduler.plan(playbook, cycleStart: now, nextRotation: nil)?.due
                out.append(event(.revoked, summary: "\(secret): the old key \(oldKey?.display ?? "") was revoked; the rotation is complete.",
                                 done: next.map { "next rotation: \(ISO8601.string($0))" }
                                    ?? "no scheduled rotation: rotate it by hand with `rotor rotate \(secret)`",
                                 fix: nil))
            }
        default:
            break
        }
        return out
    }
}
