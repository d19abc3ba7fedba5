import Foundation

/// The checkpoint notes a step journaled, in order. `@unchecked Sendable` because `notes` is only
/// touched under `lock`.
final class CheckpointBox: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [String] = []
    /// When set, recording a note throws afterwards: the step "crashes" right after journaling it.
    let crashAfterNote: Int?

    init(crashAfterNote: Int? = nil) {
        self.crashAfterNote = crashAfterNote
    }

    struct SimulatedCrash: Error, CustomStringConvertible {
        var description: String { "simulated crash after a checkpoint" }
    }

    func record(_ note: String) throws {
        let count = lock.withLock {
            notes.append(note)
            return notes.count
        }
        if let crashAfterNote, count >= crashAfterNote { throw SimulatedCrash() }
    }

    var all: [String] { lock.withLock { notes } }
    var last: String? { all.last }
}
