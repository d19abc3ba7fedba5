import Foundation

/// A wall clock that moves only when the code under test sleeps, and remembers each sleep.
///
/// `@unchecked Sendable` because `current` and `recorded` are only touched under `lock`.
final class ManualTime: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_700_000_000)
    private var recorded: [Duration] = []

    var now: Date { lock.withLock { current } }
    var sleeps: [Duration] { lock.withLock { recorded } }

    func sleep(_ duration: Duration) {
        lock.withLock {
            recorded.append(duration)
            current += duration / .seconds(1)
        }
    }
}
