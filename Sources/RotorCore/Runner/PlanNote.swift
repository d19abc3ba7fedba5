import Foundation

/// The first journal entry of a rotation: what it was planned to do. A resumed rotation checks the
/// playbook still matches, so step `propagate:3` means the same target it meant before the crash.
struct PlanNote: Codable, Equatable {
    static let step = "plan"

    var targets: Int
    var checks: Int
    var graceSeconds: Int64
    /// The stages as planned (absent in notes written before stages existed, and for a playbook without them): a
    /// resumed rotation checks they still match, so that "stage 2" and its approval mean what they meant.
    var stages: [Stage]?

    /// One stage as planned: its name, how many targets and checks, whether it waits for approval.
    struct Stage: Codable, Equatable {
        var name: String
        var targets: Int
        var checks: Int
        var approve: Bool
    }

    init(targets: Int, checks: Int, graceSeconds: Int64, stages: [Stage]? = nil) {
        self.targets = targets
        self.checks = checks
        self.graceSeconds = graceSeconds
        self.stages = stages
    }

    /// The stages of `playbook` as a plan note records them; nil for a playbook without written stages.
    static func stages(of playbook: Playbook) -> [Stage]? {
        playbook.isStaged
            ? playbook.stages.map { Stage(name: $0.name, targets: $0.targets.count, checks: $0.checks.count, approve: $0.approve) }
            : nil
    }

    init?(journal: [JournalEntry]) {
        guard let detail = journal.first(where: { $0.step == Self.step })?.detail,
              let note = try? JSONDecoder().decode(PlanNote.self, from: Data(detail.utf8)) else { return nil }
        self = note
    }

    var json: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
