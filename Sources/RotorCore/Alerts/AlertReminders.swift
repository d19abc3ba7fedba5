import Foundation

/// Reminds, every `alerts.remind_every`, of rotations left unresolved: a rollback that could not finish
/// (`failed`, the newest rotation of its secret) or an old key whose revoke stalled. Each reminder repeats the
/// first alert's event to the same channels, under a dedupe key numbered by how many periods have passed since
/// it, so several daemons send it once.
public struct AlertReminders: MaintenanceTask {
    let store: any Store
    let alerts: AlertsConfig
    /// Secrets with a playbook; reminders about others stop (nothing could resolve them from here).
    let secrets: Set<String>

    public init(store: any Store, alerts: AlertsConfig, secrets: Set<String>) {
        self.store = store
        self.alerts = alerts
        self.secrets = secrets
    }

    public func tick(now: Date) async -> [TickItem] {
        let period = alerts.remindEvery.timeInterval
        guard period > 0 else { return [] }
        do {
            return try await store.transaction { tx in
                var items: [TickItem] = []
                for (rotation, type) in try Self.unresolved(tx) where secrets.contains(rotation.secretName) {
                    if let item = try remind(tx, rotation: rotation, type: type, period: period, now: now) { items.append(item) }
                }
                return items
            }
        } catch {
            return [TickItem(subject: "alerts", action: "error", message: "reminders: \(error)")]
        }
    }

    /// Failed rotations that are the newest of their secret, and revokes that stalled.
    static func unresolved(_ tx: any RotationsTransaction) throws -> [(RotationRecord, AlertType)] {
        let failed = try tx.rotations(states: [.failed]).filter { try tx.rotations(secretName: $0.secretName).first?.id == $0.id }
        let stalled = try tx.rotations(states: [.revoking]).filter { $0.error != nil }
        return failed.map { ($0, .failed) } + stalled.map { ($0, .revokeStalled) }
    }

    private func remind(_ tx: any NotificationsTransaction, rotation: RotationRecord, type: AlertType, period: TimeInterval,
                        now: Date) throws -> TickItem? {
        let prefix = Alerts.dedupeKey(rotationID: rotation.id, type) + ":"
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
                                       dedupe: Alerts.dedupeKey(rotationID: rotation.id, type) + ":remind\(periods)", into: tx)
        guard added > 0 else { return nil }
        return TickItem(subject: rotation.secretName, rotationID: rotation.id, action: "reminded", state: rotation.state.rawValue,
                        message: "reminder \(periods) of \(type.rawValue) to \(channels.joined(separator: ", "))")
    }
}
