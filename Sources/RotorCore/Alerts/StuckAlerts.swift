import Foundation

/// Alerts about rotations stuck longer than their playbook's `policy.step_timeout` (see ``StuckRotation``): once
/// per state a rotation is stuck in, to the playbook's channels and rotor.yml's `alerts:`. Runs after the pass
/// tried to resume them, so a rotation that a pass can finish is never reported; one whose resume failed before
/// any progress is, although that attempt left its lease with the pass's runner (`idleOwner`), which is done with it.
public struct StuckAlerts: MaintenanceTask {
    let store: any Store
    let playbooks: [Playbook]
    let alerts: AlertsConfig
    /// The lease owner of the pass's runner, whose lease does not mean that anyone still works on a rotation.
    let idleOwner: String?

    public init(store: any Store, playbooks: [Playbook], alerts: AlertsConfig, idleOwner: String? = nil) {
        self.store = store
        self.playbooks = playbooks
        self.alerts = alerts
        self.idleOwner = idleOwner
    }

    public func tick(now: Date) async -> [TickItem] {
        let byName = Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
        let alerts = alerts
        do {
            return try await store.transaction { tx in
                var items: [TickItem] = []
                for rotation in try tx.activeRotations() {
                    guard let playbook = byName[rotation.secretName],
                          let (since, lastStep) = try Self.stuck(rotation, playbook: playbook, tx, now: now,
                                                                 idleOwner: idleOwner) else { continue }
                    let added = try Alerts.stuck(tx, rotation: rotation, since: since, stepTimeout: playbook.policy.stepTimeout,
                                                 lastStep: lastStep, audience: AlertAudience(playbook: playbook, alerts: alerts),
                                                 at: now)
                    if added > 0 {
                        items.append(TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "alerted",
                                              state: rotation.state.rawValue,
                                              message: "stuck since \(ISO8601.string(since)), past its step_timeout"))
                    }
                }
                return items
            }
        } catch {
            return [TickItem(subject: "alerts", action: "error", message: "stuck-rotation alerts: \(error)")]
        }
    }

    /// Since when `rotation` has been stuck at `now`, and its last step as people know it; nil when it is not stuck.
    static func stuck(_ rotation: RotationRecord, playbook: Playbook, _ tx: any RotationsTransaction, now: Date,
                      idleOwner: String?) throws -> (since: Date, lastStep: String?)? {
        // Waiting out grace or for a person's value is not being stuck (the supply request has its own reminders).
        guard rotation.state.isActive, rotation.state != .grace, rotation.state != .awaitingValue,
              PersonRequest.of(rotation, playbook: playbook) == nil else { return nil }
        var rotation = rotation
        if let idleOwner, rotation.leaseOwner == idleOwner { rotation.leaseExpiresAt = nil }
        let last = try tx.journal(rotationID: rotation.id).last
        guard let since = StuckRotation.since(rotation, lastStep: last, policy: playbook.policy, now: now) else { return nil }
        return (since, last.map { "\(playbook.stepLabel($0.step)) \($0.phase.rawValue)" })
    }
}
