import Foundation
import Logging

/// Checks, at most once a day per secret, whether a target holds a value Rotor did not write ("drift"),
/// and alerts the playbook's channels urgently when one does. Reads only; values are never kept or shown.
///
/// A secret is skipped while a rotation of it is active (its targets legitimately differ then) and
/// before it has a current version. When it was last checked is a store setting, so several daemons
/// check once between them, and the alert's dedupe key holds the day and the fingerprints. Each check's reading is
/// kept as the secret's last ``TargetReport``, which the dashboard's secret page shows.
public struct DriftWatch: MaintenanceTask {
    let store: any Store
    let inspector: DriftInspector
    let playbooks: [Playbook]
    let logger: Logger
    /// The least time between two checks of one secret.
    static let interval: TimeInterval = 86_400

    public init(store: any Store, factory: any ProviderFactory, playbooks: [Playbook], logger: Logger) {
        self.store = store
        self.inspector = DriftInspector(factory: factory)
        self.playbooks = playbooks
        self.logger = logger
    }

    public func tick(now: Date) async -> [TickItem] {
        var items: [TickItem] = []
        for playbook in playbooks where !playbook.isKeyTable && !playbook.targets.isEmpty {
            do {
                if let item = try await check(playbook, now: now) { items.append(item) }
            } catch {
                logger.warning("drift check failed", metadata: ["secret": "\(playbook.secret)", "error": "\(error)"])
            }
        }
        return items
    }

    /// Checks one secret if it is due; returns an item only when a target drifted.
    private func check(_ playbook: Playbook, now: Date) async throws -> TickItem? {
        let secret = playbook.secret
        let key = "drift.checked.\(secret)"
        let due = try await store.transaction { tx -> (current: String, previous: String?)? in
            if let last = try tx.setting(key).flatMap({ ISO8601.parse(String(decoding: $0, as: UTF8.self)) }),
               now.timeIntervalSince(last) < Self.interval { return nil }
            guard try tx.activeRotation(secretName: secret) == nil,
                  let current = try tx.version(secretName: secret, label: .current) else { return nil }
            return (current.fingerprint, try tx.version(secretName: secret, label: .previous)?.fingerprint)
        }
        guard let due else { return nil }
        let report = await inspector.inspect(playbook, current: due.current, previous: due.previous)
        let drifted = report.filter { $0.state == .drift }
        let alerts = drifted.isEmpty ? [] : Notices.make(
            kind: "drift", secret: secret, channels: playbook.notify, urgent: true,
            subject: "\(secret): \(drifted.count) target(s) hold a value Rotor did not write",
            body: Self.body(secret: secret, current: due.current, drifted: drifted),
            dedupe: "drift:\(secret):\(ISO8601.string(now).prefix(10)):\(drifted.flatMap(\.fingerprints).joined(separator: ","))", at: now)
        let reading = TargetReport(at: now, by: "drift-watch", current: due.current, previous: due.previous, targets: report)
        try await store.transaction { tx in
            try tx.setSetting(key, Array(ISO8601.string(now).utf8))
            try reading.save(secret: secret, in: tx)
            for alert in alerts { _ = try tx.enqueueNotification(alert) }
        }
        guard !drifted.isEmpty else { return nil }
        return TickItem(subject: secret, action: "drift",
                        message: drifted.map { "\($0.target): \($0.line(current: due.current))" }.joined(separator: "; "))
    }

    private static func body(secret: String, current: String, drifted: [TargetDrift]) -> String {
        (["These targets of \(secret) hold a value that is not Rotor's current version (fp \(current)):"]
            + drifted.map { "  • \($0.target): fp \($0.fingerprints.joined(separator: ", "))" }
            + ["", "Someone (or another tool) changed it by hand. Check with `rotor status \(secret) --targets`; "
               + "rotate (`rotor rotate \(secret)`) to put Rotor's value back everywhere, or import the value in use "
               + "(`rotor import \(secret)`)."]).joined(separator: "\n")
    }
}
