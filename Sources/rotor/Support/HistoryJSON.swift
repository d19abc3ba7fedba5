import Foundation
import RotorCore

/// `rotor history --json`: the secret and its rotations, newest first. A journal entry that holds JSON (the
/// plan every rotation starts with) shows it as a nested object under `data`, not as text under `detail`.
struct HistoryJSON: Encodable {
    struct Step: Encodable {
        var seq: Int
        var step: String
        var phase: String
        var detail: String?
        var data: JSONValue?
        var at: Date

        init(_ line: JournalLine) {
            seq = line.seq
            step = line.step
            phase = line.phase
            at = line.at
            if let detail = line.detail, let parsed = JSONValue(parsing: detail) {
                data = parsed
            } else {
                detail = line.detail
            }
        }
    }

    struct Entry: Encodable {
        var rotation: RotationSummary
        var old: SecretVersionSummary?
        var new: SecretVersionSummary?
        var steps: [Step]
    }

    var secret: String
    var rotations: [Entry]

    init(secret: String, entries: [RotationHistoryEntry]) {
        self.secret = secret
        rotations = entries.map { Entry(rotation: $0.rotation, old: $0.old, new: $0.new, steps: $0.steps.map(Step.init)) }
    }
}
