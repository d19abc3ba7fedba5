import Foundation

/// Reads a secret's targets when a person asks (the dashboard's "Read targets now"): runs ``DriftInspector``, keeps
/// the reading as the secret's last ``TargetReport`` and audits it (`targets.read`, per-target states and
/// fingerprints, never a value).
///
/// A page must not be able to hammer vendor APIs: a secret is read at most once per ``minimumInterval``, by the stored
/// reading's time, so several daemons sharing a store read it once between them; a request within the interval gets
/// the stored reading back.
public struct TargetReadBack: Sendable {
    /// What a request got.
    public enum Outcome: Sendable, Equatable {
        /// The targets were read now.
        case read(TargetReport)
        /// They were read less than ``minimumInterval`` ago: this is that reading; nothing was read again.
        case recent(TargetReport)
    }

    /// The least time between two read-backs of one secret.
    public static let minimumInterval: TimeInterval = 60

    let store: any Store
    let inspector: DriftInspector
    let clock: any RotorClock

    public init(store: any Store, inspector: DriftInspector, clock: any RotorClock) {
        self.store = store
        self.inspector = inspector
        self.clock = clock
    }

    /// Reads every target of `playbook` for `actor` (who shows in the audit log), unless they were read recently.
    public func read(_ playbook: Playbook, actor: String, via: String) async throws -> Outcome {
        let secret = playbook.secret
        let now = clock.now
        let known = try await store.transaction { tx -> (last: TargetReport?, current: String?, previous: String?) in
            (try TargetReport.load(secret: secret, from: tx), try tx.version(secretName: secret, label: .current)?.fingerprint,
             try tx.version(secretName: secret, label: .previous)?.fingerprint)
        }
        // A reading from the future (a rehearsal under `--now`) does not hold the next one back.
        if let last = known.last, now >= last.at, now.timeIntervalSince(last.at) < Self.minimumInterval { return .recent(last) }
        let targets = await inspector.inspect(playbook, current: known.current, previous: known.previous)
        let report = TargetReport(at: now, by: actor, current: known.current, previous: known.previous, targets: targets)
        let detail = Self.auditDetail(report, via: via)
        try await store.transaction { tx in
            try report.save(secret: secret, in: tx)
            try tx.appendAudit(AuditEvent(at: now, subject: secret, subjectKind: "secret", action: "targets.read",
                                          newFingerprint: known.current, actor: actor,
                                          outcome: targets.contains { $0.state == .drift } ? "drift" : "success", detail: detail))
        }
        return .read(report)
    }

    /// The audit row's detail: each target's label, state and fingerprints (no error text, no value).
    static func auditDetail(_ report: TargetReport, via: String) -> String {
        struct Row: Encodable {
            var target: String
            var state: String
            var fingerprints: [String]
        }
        struct Detail: Encodable {
            var via: String
            var targets: [Row]
        }
        let detail = Detail(via: via, targets: report.targets.map { Row(target: $0.target, state: $0.state.rawValue, fingerprints: $0.fingerprints) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(detail)) ?? Data("{}".utf8), as: UTF8.self)
    }
}
