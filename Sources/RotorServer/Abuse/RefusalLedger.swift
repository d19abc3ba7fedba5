import Foundation

/// Decides which refused anonymous requests reach the audit log, and when, so that a flood cannot fill it.
///
/// Per client address and kind, the first refusal of a window is audited at once, as it happened; the
/// others are counted, and one row with their number and reasons is written when the window closes.
/// A pure state machine: the caller writes what it returns.
struct RefusalLedger {
    struct Key: Hashable {
        var address: ClientAddress
        var kind: RefusalKind
    }

    /// The refusals of one window after its first, for one audit row.
    struct Summary: Equatable {
        var address: ClientAddress
        var kind: RefusalKind
        var windowStart: Date
        var windowEnd: Date
        var count: Int
        /// How many times each reason was given.
        var reasons: [String: Int]
    }

    private struct Tally {
        var windowStart: Date
        var count = 0
        var reasons: [String: Int] = [:]
    }

    let window: TimeInterval
    let capacity: Int
    private var tallies: [Key: Tally] = [:]

    init(window: Duration, capacity: Int) {
        self.window = max(1, window / .seconds(1))
        self.capacity = max(1, capacity)
    }

    /// Records one refusal. `auditNow` says whether to audit this one on its own (the first of its
    /// window); `closed` holds summaries of windows that this refusal found closed or pushed out.
    mutating func record(_ kind: RefusalKind, from address: ClientAddress, reason: String, at now: Date)
        -> (auditNow: Bool, closed: [Summary]) {
        let key = Key(address: address, kind: kind)
        var closed: [Summary] = []
        if var tally = tallies[key] {
            if now < tally.windowStart.addingTimeInterval(window) && now >= tally.windowStart {
                tally.count += 1
                tally.reasons[reason, default: 0] += 1
                tallies[key] = tally
                return (false, [])
            }
            closed += summary(key, tally, end: min(now, tally.windowStart.addingTimeInterval(window))).map { [$0] } ?? []
            tallies[key] = nil
        }
        if tallies.count >= capacity { closed += closeOldest() }
        tallies[key] = Tally(windowStart: now)
        return (true, closed)
    }

    /// Closes every window that has ended by `now`; returns their summaries.
    mutating func closeWindows(at now: Date) -> [Summary] {
        var closed: [Summary] = []
        for (key, tally) in tallies where now >= tally.windowStart.addingTimeInterval(window) {
            tallies[key] = nil
            if let summary = summary(key, tally, end: tally.windowStart.addingTimeInterval(window)) { closed.append(summary) }
        }
        return closed.sorted { $0.windowStart < $1.windowStart }
    }

    /// Closes every window, ended or not (the service is stopping).
    mutating func closeAll(at now: Date) -> [Summary] {
        let closed = tallies.compactMap { summary($0.key, $0.value, end: min(now, $0.value.windowStart.addingTimeInterval(window))) }
        tallies = [:]
        return closed.sorted { $0.windowStart < $1.windowStart }
    }

    private mutating func closeOldest() -> [Summary] {
        let oldest = tallies.sorted { $0.value.windowStart < $1.value.windowStart }.prefix(tallies.count - capacity * 9 / 10 + 1)
        return oldest.compactMap { key, tally in
            tallies[key] = nil
            return summary(key, tally, end: tally.windowStart.addingTimeInterval(window))
        }
    }

    private func summary(_ key: Key, _ tally: Tally, end: Date) -> Summary? {
        guard tally.count > 0 else { return nil }
        return Summary(address: key.address, kind: key.kind, windowStart: tally.windowStart,
                       windowEnd: max(end, tally.windowStart), count: tally.count, reasons: tally.reasons)
    }
}
