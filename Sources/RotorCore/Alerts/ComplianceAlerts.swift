import Foundation

/// Alerts once a day (per secret, per UTC day) while a secret's current key is past its policy's `max_age`.
public struct ComplianceAlerts: MaintenanceTask {
    let store: any Store
    let playbooks: [Playbook]
    let alerts: AlertsConfig

    public init(store: any Store, playbooks: [Playbook], alerts: AlertsConfig) {
        self.store = store
        self.playbooks = playbooks
        self.alerts = alerts
    }

    public func tick(now: Date) async -> [TickItem] {
        do {
            let report = try await ComplianceReport.build(store: store, playbooks: playbooks, now: now, keyPolicy: nil)
            // Past max_age only: a request past its deadline has its own escalation (``PersonRequestReminders``).
            let overdue = report.items.filter { $0.kind == "secret" && $0.status == "overdue" && ($0.ageDays ?? 0) >= $0.maxAgeDays }
            guard !overdue.isEmpty else { return [] }
            let byName = Dictionary(playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
            return try await store.transaction { tx in
                var items: [TickItem] = []
                for item in overdue {
                    guard let playbook = byName[item.subject] else { continue }
                    let added = try Alerts.complianceOverdue(tx, secret: item.subject, ageDays: item.ageDays ?? 0,
                                                             maxAgeDays: item.maxAgeDays,
                                                             audience: AlertAudience(playbook: playbook, alerts: alerts), at: now)
                    if added > 0 {
                        items.append(TickItem(subject: item.subject, action: "alerted", state: "overdue",
                                              message: "older than max_age (\(item.ageDays ?? 0) days)"))
                    }
                }
                return items
            }
        } catch {
            return [TickItem(subject: "alerts", action: "error", message: "compliance alerts: \(error)")]
        }
    }
}
