import Foundation
import RotorCore

/// The secret page's targets: what each held at the last reading (``TargetReport``, by fingerprint only), when that
/// was, and what it should hold now.
struct DashboardTargetReading {
    struct Row {
        var label: String
        /// What it held at the last reading, in words, e.g. `holds the current version · fp 1a2b3c4d`.
        var held: String
        var tone: String
        /// `read 3 h ago`, or `not read yet`.
        var read: String
        /// What it should hold: Rotor's current version.
        var holds: String
    }

    var rows: [Row]
    /// How many targets hold a value Rotor did not write (attention).
    var drifted: Int
    var hasDrift: Bool
    /// The reading compared with another current version than today's: a rotation came after it.
    var stale: Bool
    /// A rotation of the secret is in flight: the targets legitimately differ until it ends.
    var inFlight: Bool
    /// The server can read targets back (it has providers); the form is shown.
    var canRead: Bool
    /// The person just asked again within the minute and sees the stored reading.
    var recent: Bool
    var lastRead: String

    static func build(_ playbook: Playbook, current: SecretVersionSummary?, inFlight: Bool, recent: Bool,
                      dependencies: ServiceDependencies) async throws -> DashboardTargetReading {
        let secret = playbook.secret
        let report = try await dependencies.store.transaction { try TargetReport.load(secret: secret, from: $0) }
        let now = dependencies.clock.now
        let should = current.map { "\($0.display) · \($0.fingerprint)" } ?? "nothing imported yet"
        let rows = playbook.targets.map { config -> Row in
            guard let report, let drift = report.targets.first(where: { $0.target == config.label }) else {
                return Row(label: config.label, held: "not read yet", tone: "", read: "—", holds: should)
            }
            return Row(label: config.label, held: held(drift), tone: tone(drift.state), read: "read \(ago(report.at, now: now))", holds: should)
        }
        let drifted = report?.targets.filter { $0.state == .drift }.count ?? 0
        return DashboardTargetReading(
            rows: rows, drifted: drifted, hasDrift: drifted > 0,
            stale: report.map { $0.current != current?.fingerprint } ?? false, inFlight: inFlight,
            canRead: dependencies.targetInspector != nil, recent: recent,
            lastRead: report.map { "Last read \(ago($0.at, now: now)) (\(DashboardText.time($0.at))) by \($0.by)." } ?? "Not read yet.")
    }

    /// What a target held, in words; fingerprints only.
    static func held(_ drift: TargetDrift) -> String {
        let fingerprints = drift.fingerprints.isEmpty ? "" : " · fp \(drift.fingerprints.joined(separator: ", "))"
        switch drift.state {
        case .current: return "holds the current version\(fingerprints)"
        case .previous: return "holds the previous version\(fingerprints)"
        case .drift: return "holds a value Rotor did not write\(fingerprints)"
        case .absent: return "absent"
        case .unknown: return "cannot be read back: \(drift.detail ?? "this target cannot read its value")"
        case .unreadable: return "could not read: \(drift.detail ?? "an error")"
        }
    }

    static func tone(_ state: TargetDrift.State) -> String {
        switch state {
        case .current: "good"
        case .previous, .absent: "warn"
        case .drift, .unreadable: "bad"
        case .unknown: ""
        }
    }

    /// `just now`, `5 min ago`, `3 h ago`, `2 d ago`.
    static func ago(_ date: Date, now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(date))
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return "\(Int(seconds / 60)) min ago"
        case ..<86_400: return "\(Int(seconds / 3600)) h ago"
        default: return "\(Int(seconds / 86_400)) d ago"
        }
    }
}
