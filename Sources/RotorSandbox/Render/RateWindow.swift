import Foundation

/// A fixed one-minute request budget, as Render's `Ratelimit-*` headers describe it.
struct RateWindow: Sendable {
    let limit: Int
    private var start: Date?
    private var used = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Spends one request if the budget allows; false when the caller must wait `reset` seconds.
    mutating func take(now: Date) -> Bool {
        roll(now)
        if start == nil { start = now }
        guard used < limit else { return false }
        used += 1
        return true
    }

    func remaining(now: Date) -> Int {
        expired(now) ? limit : max(0, limit - used)
    }

    /// Whole seconds until the budget refills (Render's recorded responses carry seconds, not a time).
    func reset(now: Date) -> Int {
        guard let start, !expired(now) else { return 60 }
        return max(1, Int((start.addingTimeInterval(60).timeIntervalSince(now)).rounded(.up)))
    }

    private func expired(_ now: Date) -> Bool {
        start.map { now.timeIntervalSince($0) >= 60 } ?? true
    }

    private mutating func roll(_ now: Date) {
        if expired(now) {
            start = nil
            used = 0
        }
    }
}
