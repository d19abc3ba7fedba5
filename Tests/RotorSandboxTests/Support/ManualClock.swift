import Foundation
import Synchronization

/// The sandbox's clock in tests that step deploys through their phases: it stands still until the test
/// moves it, so a deploy is `created`, in progress or `live` exactly when the test says, however loaded the
/// machine is.
final class ManualClock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date = Date()) {
        current = Mutex(start)
    }

    var now: Date { current.withLock { $0 } }

    func advance(by duration: Duration) {
        current.withLock { $0 = $0.addingTimeInterval(duration / .seconds(1)) }
    }
}
