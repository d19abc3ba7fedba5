import Foundation
import RotorCore
import Synchronization

/// A clock the test moves by hand; `sleep` moves it instead of waiting.
final class TestClock: RotorClock {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func advance(_ seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    func sleep(for duration: Duration) async throws {
        advance(Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
