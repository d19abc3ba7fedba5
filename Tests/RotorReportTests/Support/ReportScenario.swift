import Foundation
import RotorCore

/// A quarter (2026-01-01 to 2026-04-01, reported on 2026-04-15) written to a store as the runner, the skip service
/// and the key table write it: audit rows, rotation records, secrets and customer keys. The ids of the rows the
/// report must cite are kept.
struct ReportScenario {
    static let hostileName = "gamma<script>alert(1)</script>"
    static let hostileReason = "<img src=x onerror=alert(1)> \"quoted\" & more"
    static let period = (from: at("2026-01-01T00:00:00Z"), to: at("2026-04-01T00:00:00Z"))
    static let now = at("2026-04-15T00:00:00Z")
    static let maxAges: [String: Double] = ["alpha": 90, "beta": 30, hostileName: 90, "delta": 90, "epsilon": 90]

    var ids: [String: Int64] = [:]

    static func at(_ text: String) -> Date { ISO8601.parse(text)! }

    /// Writes the quarter; `rehearsal` adds a `--now` row that the report must leave out.
    static func write(to store: any Store, rehearsal: any Store) async throws -> ReportScenario {
        let ids = try await store.transaction { tx -> [String: Int64] in
            var ids: [String: Int64] = [:]
            for name in maxAges.keys {
                try tx.upsertSecret(SecretRecord(name: name, playbookPath: nil, kind: .secret, nextRotationAt: nil, cycleStartedAt: nil,
                                                 warningsSent: [], skipsThisCycle: 0, createdAt: at("2025-10-01T00:00:00Z"),
                                                 updatedAt: at("2025-10-01T00:00:00Z")))
            }
            func audit(_ key: String, _ action: String, _ subject: String, _ when: String, trigger: String? = nil, actor: String = "rotor",
                       reason: String? = nil, outcome: String = "succeeded", rotation: String? = nil, kind: String = "secret") throws {
                let row = try tx.appendAudit(AuditEvent(at: at(when), subject: subject, subjectKind: kind, action: action, trigger: trigger,
                                                        actor: actor, reason: reason, outcome: outcome, rotationID: rotation))
                ids[key] = row.id
            }
            // alpha: imported in December, rotated on 1 February: at most 62 days old in the quarter.
            try audit("alpha.import", "secret.imported", "alpha", "2025-12-01T00:00:00Z", actor: "alice")
            try audit("alpha.promote", "step.promote", "alpha", "2026-02-01T00:00:00Z", trigger: "schedule", rotation: "rot_alpha")
            try audit("alpha.completed", "rotation.completed", "alpha", "2026-02-02T00:00:00Z", trigger: "schedule", outcome: "completed",
                      rotation: "rot_alpha")
            // beta: 30 days allowed, imported mid-December and never rotated: overdue from 14 January.
            try audit("beta.import", "secret.imported", "beta", "2025-12-15T00:00:00Z", actor: "alice")
            // delta: imported, then an emergency rotation live after 4 min 30 s.
            try audit("delta.import", "secret.imported", "delta", "2026-01-02T00:00:00Z", actor: "alice")
            try tx.insertRotation(RotationRecord(id: "rot_delta", secretName: "delta", trigger: .emergency, actor: "carol",
                                                 reason: "leaked in a log", state: .completed, createdAt: at("2026-03-10T12:00:00Z"),
                                                 updatedAt: at("2026-03-10T12:05:00Z"), completedAt: at("2026-03-10T12:05:00Z")))
            try audit("delta.started", "rotation.started", "delta", "2026-03-10T12:00:00Z", trigger: "emergency", actor: "carol",
                      reason: "leaked in a log", outcome: "started", rotation: "rot_delta")
            try audit("delta.promote", "step.promote", "delta", "2026-03-10T12:04:30Z", trigger: "emergency", actor: "carol",
                      rotation: "rot_delta")
            try audit("delta.completed", "rotation.completed", "delta", "2026-03-10T12:05:00Z", trigger: "emergency", actor: "carol",
                      outcome: "completed", rotation: "rot_delta")
            // gamma (a hostile name): a skip with a hostile reason, a compliance override, a failure, then recovery a day later.
            let gamma = hostileName
            try audit("gamma.import", "secret.imported", gamma, "2026-01-10T00:00:00Z", actor: "alice")
            try audit("gamma.skip", "secret.skipped", gamma, "2026-02-01T09:00:00Z", trigger: "manual", actor: "dave", reason: hostileReason)
            try audit("gamma.override", "secret.skipped.override-compliance", gamma, "2026-03-01T09:00:00Z", trigger: "manual",
                      actor: "bob", reason: "vendor freeze until April")
            try audit("gamma.failed", "rotation.failed", gamma, "2026-03-05T10:00:00Z", trigger: "schedule", reason: "verify failed: HTTP 401",
                      outcome: "failed", rotation: "rot_gamma_1")
            try audit("gamma.promote", "step.promote", gamma, "2026-03-06T12:00:00Z", trigger: "manual", rotation: "rot_gamma_2")
            // Customer keys (90 days).
            let keys: [(String, String, APIKeyStatus, String?)] = [
                ("key_old", "2025-11-01T00:00:00Z", .active, nil),        // past max age since 30 January, still active
                ("key_fresh", "2026-03-01T00:00:00Z", .active, nil),
                ("key_late", "2025-10-01T00:00:00Z", .grace, nil),        // rotated on 15 February, 46 days late
                ("key_late2", "2026-02-15T00:00:00Z", .active, "key_late"),
                ("key_leak", "2026-01-20T00:00:00Z", .revoked, nil),      // emergency rotation on 20 March
                ("key_leak2", "2026-03-20T00:00:00Z", .active, "key_leak"),
            ]
            for (index, (id, created, status, from)) in keys.enumerated() {
                try tx.insertAPIKey(APIKeyRecord(id: id, keyHash: Array("hash-\(id)".utf8), prefix: "rk_\(index)", last4: "abc\(index)",
                                                 org: "acme", name: id, status: status, createdAt: at(created), rotatedFrom: from))
            }
            try audit("key_old.created", "key.created", "key_old", "2025-11-01T00:00:00Z", actor: "alice", kind: "api_key")
            try audit("key_late.rotated", "key.rotated", "key_late2", "2026-02-15T00:00:00Z", trigger: "schedule", kind: "api_key")
            try audit("key_leak.rotated", "key.rotated", "key_leak2", "2026-03-20T00:00:00Z", trigger: "emergency", actor: "erin",
                      reason: "posted in a forum", kind: "api_key")
            return ids
        }
        // A rehearsal under --now "rotated" beta; it did not happen.
        try await rehearsal.transaction { tx in
            _ = try tx.appendAudit(AuditEvent(at: at("2026-01-20T00:00:00Z"), subject: "beta", subjectKind: "secret", action: "step.promote",
                                              trigger: "manual", actor: "rehearsal", outcome: "succeeded", rotationID: "rot_rehearsal"))
        }
        return ReportScenario(ids: ids)
    }

    static var subjects: [(name: String, maxAge: TimeInterval)] {
        maxAges.map { ($0.key, $0.value * 86400) }.sorted { $0.name < $1.name }
    }
}
