import Foundation

/// Where Rotor gets the time. Injected everywhere, so `rotor tick --now` and tests can move through a
/// year of schedules in seconds.
public protocol RotorClock: Sendable {
    var now: Date { get }
    func sleep(for duration: Duration) async throws
    /// Whether this clock travels in time (`--now`): rows written under it are marked in the audit log, so a
    /// rehearsal is never mistaken for what happened.
    var isSimulated: Bool { get }
}

extension RotorClock {
    /// Clocks tell the real time unless they say otherwise.
    public var isSimulated: Bool { false }
}

/// The real clock.
public struct SystemClock: RotorClock {
    public init() {}
    public var now: Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}

/// The real clock shifted to start at a given instant: time still flows and sleeps really wait, so
/// retries and deploy polls behave as in production. `rotor tick --now TIME` runs on it.
public struct OffsetClock: RotorClock {
    public let offset: TimeInterval
    public init(startingAt start: Date) { self.offset = start.timeIntervalSinceNow }
    public var now: Date { Date().addingTimeInterval(offset) }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
    public var isSimulated: Bool { true }
}
