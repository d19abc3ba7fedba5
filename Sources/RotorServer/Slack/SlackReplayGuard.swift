import Foundation
import Synchronization

/// Remembers the signatures of the Slack requests this process accepted in the last five minutes, so that a captured
/// request sent again inside its timestamp's window is refused: a click acts once. (Beyond five minutes the timestamp
/// check refuses it.) Bounded: when full, the oldest entries go first.
final class SlackReplayGuard: Sendable {
    private let seen = Mutex<[String: Date]>([:])
    private let window: TimeInterval
    private let capacity: Int

    init(window: TimeInterval = SlackSignature.tolerance, capacity: Int = 50_000) {
        self.window = window
        self.capacity = capacity
    }

    /// True the first time `signature` is presented within the window; false for a replay.
    func firstSight(_ signature: String, now: Date) -> Bool {
        seen.withLock { seen in
            if let at = seen[signature], now.timeIntervalSince(at) <= 2 * window { return false }
            if seen.count >= capacity {
                seen = seen.filter { now.timeIntervalSince($0.value) <= 2 * window }
                if seen.count >= capacity, let oldest = seen.min(by: { $0.value < $1.value })?.key { seen[oldest] = nil }
            }
            seen[signature] = now
            return true
        }
    }
}
