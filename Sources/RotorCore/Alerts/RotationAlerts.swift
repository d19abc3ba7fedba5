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

    public init(playbook: Playbook, alerts: AlertsConfig, holdings: [String]? = nil, revokeStalled: Bool = false) {
        self.playbook = playbook
        self.alerts = alerts
        self.holdings = holdings
        self.revokeStalled = revokeStalled
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
        let make = EventMaker(rotation: r, old: old.map(AlertEvent.Version.init), new: new.map(AlertEvent.Version.init),
                              targets: targetNames, at: now)
        guard let previous else { return started(make) }
        var out: [(AlertEvent, String)] = []
        if revokeStalled {
            out.append(make(.revokeStalled, summary: "The old key of \(r.secretName) could not be revoked: \(make.reason).",
                            done: "the new key \(make.newKey) is live and verified on every target; the old key "
                                + "\(make.oldKey) still works at its source; every `rotor tick` retries the revoke",
                            fix: "fix the source's access, then run `rotor tick`; or revoke \(make.oldKey) by hand at the vendor"))
        } else if previous != r.state {
            out += settled(make, previous: previous)
        }
        return out
    }

    /// Target `index` of `rotation` now holds the new key (its propagate step succeeds in `tx`, whose journal does not
    /// hold that success yet): the lifecycle "progress" message, "updating targets 2/4: … is live", for channels
    /// that opted in to `started`. Up to ten targets every one is told; beyond, about every tenth of them and the
    /// last, so a playbook of a hundred targets sends ten messages, not a hundred.
    public func targetLive(_ tx: any StoreTransaction, rotation r: RotationRecord, index: Int, old: SecretVersionSummary?,
                           new: SecretVersionSummary?, at now: Date) throws {
        let channels = audience.channels(for: .progress)
        guard !channels.isEmpty else { return }
        let total = targetNames.count
        let step = RotationStep.propagate(index).key
        // Concurrent target writes each hold the rotation's row (the lease check) here, so every count is reached once.
        let earlier = Set(try tx.journal(rotationID: r.id).filter {
            $0.phase == .succeeded && $0.step != step && RotationStep(key: $0.step).map(Self.isPropagate) == true
        }.map(\.step))
        let done = min(earlier.count + 1, total)
        guard Self.announces(done, of: total) else { return }
        let make = EventMaker(rotation: r, old: old.map(AlertEvent.Version.init), new: new.map(AlertEvent.Version.init),
                              targets: targetNames, at: now)
        let label = targetNames.indices.contains(index) ? targetNames[index] : "target \(index + 1)"
        let checks = playbook.checks.count
        var (event, key) = make(.progress, summary: "\(r.secretName): updating targets \(done)/\(total): \(label) is live.",
                                done: done == total
                                    ? "every target holds the new key \(make.newKey); \(checks) check\(checks == 1 ? "" : "s") follow"
                                    : "writing the new key \(make.newKey) to each target; \(total - done) to go",
                                fix: nil)
        key += ":\(done)"
        event.state = RotationState.propagating.rawValue
        try Alerts.enqueue(event, channels: channels, dedupe: key, into: tx)
    }

    /// Whether the `done`-th of `total` targets going live is announced.
    static func announces(_ done: Int, of total: Int) -> Bool {
        let every = max(1, (total + 9) / 10)
        return done == total || done % every == 0
    }

    private static func isPropagate(_ step: RotationStep) -> Bool {
        if case .propagate = step { return true }
        return false
    }

    /// A new rotation: the lifecycle "started", and for an emergency the urgent "started".
    private func started(_ make: EventMaker) -> [(AlertEvent, String)] {
        let r = make.rotation
        var out: [(AlertEvent, String)] = []
        if r.trigger == .emergency {
            out.append(make(.emergencyStarted,
                            summary: "Emergency rotation of \(r.secretName) started by \(r.actor): \(r.reason ?? "no reason given").",
                            done: "minting a new key and writing it to every target now; the old key is revoked after a short grace"
                                + (r.revokeImmediately ? " (immediately once the new one is verified)" : ""),
                            fix: "rotor status \(r.secretName)"))
        }
        let targets = targetNames.count, checks = playbook.checks.count
        // A manual source mints nothing: the rotation waits for the owner's value.
        let first = r.state == .awaitingValue
            ? "waiting for \(playbook.owner ?? "the owner") to supply the new value (`rotor supply \(r.secretName)`)"
            : "minting a new key"
        out.append(make(.started, summary: "Rotating \(r.secretName) (\(r.trigger.rawValue), by \(r.actor)).",
                        done: "\(first); \(targets) target\(targets == 1 ? "" : "s") and "
                            + "\(checks) check\(checks == 1 ? "" : "s") follow", fix: nil))
        return out
    }

    /// A rotation that reached a state worth telling: rolled back, failed, live (grace), or completed.
    private func settled(_ make: EventMaker, previous: RotationState) -> [(AlertEvent, String)] {
        let r = make.rotation
        let secret = r.secretName
        switch r.state {
        case .rolledBack:
            let revoked = make.new == nil ? "no new key was made" : "the new key \(make.newKey) is revoked"
            return [make(.rolledBack, summary: "Rotation of \(secret) failed and was rolled back: \(make.reason).",
                         done: "every target holds the previous key \(make.oldKey) again; \(revoked)",
                         fix: "fix the cause above, then run `rotor rotate \(secret)`")]
        case .failed:
            return [make(.failed, summary: "Rotation of \(secret) failed and its rollback could not finish: \(make.reason).",
                         done: "Rotor undid what it could; the new key stays valid so that no target breaks; every "
                            + "`rotor tick` retries the undo. What each target holds now is listed below",
                         fix: "fix the cause above and run `rotor tick` (it retries the undo); `rotor history \(secret)` shows every step",
                         targets: holdings ?? targetNames)]
        case .grace, .completed:
            var out: [(AlertEvent, String)] = []
            // Straight to completed (revoke immediately) also means the new key went live just now.
            if r.state == .grace || (previous != .grace && previous != .revoking) {
                let ends = r.graceEndsAt.map { "at \(ISO8601.string($0))" } ?? "now"
                out.append(make(.completed, summary: "\(secret) rotated: the new key \(make.newKey) is live and verified on every target.",
                                done: "updated \(targetNames.joined(separator: ", ")); the old key \(make.oldKey) is revoked \(ends)",
                                fix: nil))
                if r.trigger == .emergency {
                    out.append(make(.emergencyFinished,
                                    summary: "Emergency rotation of \(secret) finished: the new key is live on every target.",
                                    done: "the leaked key \(make.oldKey) is revoked \(ends)", fix: "rotor status \(secret)"))
                }
            }
            if r.state == .completed {
                let next = Scheduler.plan(playbook, cycleStart: make.at, nextRotation: nil)?.due
                out.append(make(.revoked, summary: "\(secret): the old key \(make.oldKey) was revoked; the rotation is complete.",
                                done: next.map { "next rotation: \(ISO8601.string($0))" }
                                    ?? "no scheduled rotation: rotate it by hand with `rotor rotate \(secret)`",
                                fix: nil))
            }
            return out
        default:
            return []
        }
    }
}

/// Builds the events of one rotation at one instant, with their dedupe keys.
private struct EventMaker {
    let rotation: RotationRecord
    let old: AlertEvent.Version?
    let new: AlertEvent.Version?
    let targets: [String]
    let at: Date

    var oldKey: String { old?.display ?? "the old key" }
    var newKey: String { new?.display ?? "the new key" }
    var reason: String { rotation.error ?? "no reason recorded" }

    func callAsFunction(_ type: AlertType, summary: String, done: String, fix: String?,
                        targets: [String]? = nil) -> (AlertEvent, String) {
        (AlertEvent(type: type, secret: rotation.secretName, state: rotation.state.rawValue, rotationID: rotation.id, old: old,
                    new: new, targets: targets ?? self.targets, summary: summary, done: done, fix: fix, at: at),
         Alerts.dedupeKey(rotationID: rotation.id, type))
    }
}
