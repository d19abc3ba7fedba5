import Foundation
import RotorCore

/// What targets journaled as their prior value, by target index, as the runner's sealed journal keeps
/// it for one rotation: the first note of a target wins. `@unchecked Sendable` because `notes` is only
/// touched under `lock`.
final class PriorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var notes: [Int: [UInt8]] = [:]

    func record(_ bytes: [UInt8], target: Int) {
        lock.withLock { if notes[target] == nil { notes[target] = bytes } }
    }

    func value(target: Int) -> [UInt8]? { lock.withLock { notes[target] } }

    /// The target index a propagate or undo-propagate step serves.
    static func target(of step: RotationStep) -> Int? {
        switch step {
        case .propagate(let i), .undoPropagate(let i): i
        default: nil
        }
    }
}
