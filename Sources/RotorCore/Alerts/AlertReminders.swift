import Foundation

/// Reminds, every `alerts.remind_every`, of rotations left unresolved: a rollback that could not finish
/// (`failed`, the newest rotation of its secret), an old key whose revoke stalled, or a rotation still stuck past
/// its `step_timeout` (in the state it was reported stuck in). Each reminder repeats the
/// first alert's event to the same channels, under a dedupe key numbered by how many periods have passed since
/// it, so several daemons send it once.
public struct AlertReminders: MaintenanceTask {
    let store: any Store
    let alerts: AlertsConfig
    /// Secrets with a playbook; reminders about others stop (nothing could resolve them from here).
    let secrets: Set<String>
    /// The playbooks by secret, for the `step_timeout` that tells whether a stuck rotation still is.
    let playbooks: [String: Playbook]
    /// The lease owner of the pass's runner (see ``StuckAlerts``).
    let idleOwner: String?

    public init(store: any Store, alerts: AlertsConfig, secrets: Set<String>) {
        self.store = store
        self.alerts = alerts
        self.secrets = secrets
        playbooks = [:]
        idleOwner = nil
    }

    /// Reminders about the secrets of `playbooks`, including their rotations stuck past `step_timeout`.
    public init(store: any Store, alerts: AlertsConfig, playbooks: [Playbook], idleOwner: String? = nil) {
        self.store = store
        self.alerts = alerts
        secrets = Set(playbooks.map(\.secret))
        self.playbooks = Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
        self.idleOwner = idleOwner
    }

    public func tick(now: Date) async -> [TickItem] {
        let period = alerts.remindEvery.timeInterval
        guard period > 0 else { return [] }
        do {
            return try await store.transaction { tx in
                var items: [TickItem] = []
                for (rotation, type, key) in try unresolved(tx, now: now) where secrets.contains(rotation.secretName) {
                    if let item = try remind(tx, rotation: rotation, type: type, key: key, period: period, now: now) {
                        items.append(item)
                    }
                }
                return items
            }
        } catch {
            return [TickItem(subject: "alerts", action: "error", message: "reminders: \(error)")]
        }
    }

    /// Failed rotations that are the newest of their secret, revokes that stalled, and rotations still stuck; each
    /// with the dedupe key of its first alert.
    func unresolved(_ tx: any RotationsTransaction, now: Date) throws -> [(RotationRecord, AlertType, String)] {
        let failed = try tx.rotations(states: [.failed]).filter { try tx.rotations(secretName: $0.secretName).first?.id == $0.id }
        let stalled = try tx.rotations(states: [.revoking]).filter { $0.error != nil }
        let stuck = try tx.activeRotations().filter { rotation in
            guard let playbook = playbooks[rotation.secretName] else { return false }
            return try StuckAlerts.stuck(rotation, playbook: playbook, tx, now: now, idleOwner: idleOwner) != nil
        }
        return failed.map { ($0, .failed, Alerts.dedupeKey(rotationID: $0.id, .failed)) }
            + stalled.map { ($0, .revokeStalled, Alerts.dedupeKey(rotationID: $0.id, .revokeStalled)) }
            + stuck.map { ($0, .stuck, Alerts.stuckKey($0)) }
    }

    private func remind(_ tx: any NotificationsTransaction, rotation: RotationRecord, type: AlertType, key: String,
                        period: TimeInterval, now: Date) throws -> TickItem? {
        let prefix = key + ":"
        let rows = try tx.notifications(org: nil, secretName: rotation.secretName, limit: 1_000)
            .filter { $0.dedupeKey.hasPrefix(prefix) }
        guard let first = rows.min(by: { $0.createdAt < $1.createdAt }),
              var event = AlertEvent(json: first.event) else { return nil }
        let periods = Int(now.timeIntervalSince(first.createdAt) / period)
        guard periods >= 1 else { return nil }
        event.reminder = true
        event.at = now
        let channels = Array(Set(rows.map(\.channel))).sorted()
        let added = try Alerts.enqueue(event, channels: channels,
                                       dedupe: key + ":remind\(periods)", into: tx)
        guard added > 0 else { return nil }
        return TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "reminded", state: rotation.state.rawValue,
                        message: "reminder \(periods) of \(type.rawValue) to \(channels.joined(separator: ", "))")
    }
}
