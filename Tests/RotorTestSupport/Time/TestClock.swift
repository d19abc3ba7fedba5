import Foundation
import RotorCore
import Synchronization

/// The injectable clock for tests — the one test double Rotor allows, for time only. It stands still until
/// a test moves it with `set` or `advance(by:)`. Sleeps return at once; with `sleepsAdvance` they move the
/// clock by the slept duration instead, as if the wait had happened.
public final class TestClock: RotorClock {
    private let current: Mutex<Date>
    private let sleepsAdvance: Bool

    public init(_ start: Date = Date(timeIntervalSince1970: 1_900_000_000), sleepsAdvance: Bool = false) {
        current = Mutex(start)
        self.sleepsAdvance = sleepsAdvance
    }

    public var now: Date { current.withLock { $0 } }

    public func set(_ date: Date) { current.withLock { $0 = date } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }

    public func sleep(for duration: Duration) async throws {
        if sleepsAdvance { advance(by: duration / .seconds(1)) }
    }
}
