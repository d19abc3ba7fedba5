import Foundation
import RotorCore
import Synchronization

/// A clock the test moves by hand; sleeps return at once. A `Mutex` guards the time, so the clock
/// is shared safely with the deliveries running concurrently.
final class DeliveryTestClock: RotorClock {
    private let time: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000)) {
        time = Mutex(start)
    }

    var now: Date { time.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        time.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    func set(_ date: Date) {
        time.withLock { $0 = date }
    }

    func sleep(for duration: Duration) async throws {}
}
