import Foundation

/// The first journal entry of a rotation: what it was planned to do. A resumed rotation checks the
/// playbook still matches, so step `propagate:3` means the same target it meant before the crash.
struct PlanNote: Codable, Equatable {
    static let step = "plan"

    var targets: Int
    var checks: Int
    var graceSeconds: Int64

    init(targets: Int, checks: Int, graceSeconds: Int64) {
        self.targets = targets
        self.checks = checks
        self.graceSeconds = graceSeconds
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
