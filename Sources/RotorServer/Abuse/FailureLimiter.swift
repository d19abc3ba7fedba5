import Foundation
import Synchronization

/// Counts failed attempts per client address in fixed windows, and says how long an address that has
/// used up its failures must wait.
///
/// The check a request makes before it is evaluated (``retryAfter(_:now:)``) reads one atomic slot
/// and, unless that slot says an address hashing to it is blocked, takes no lock: the lock is taken
/// by failures. So valid traffic does not queue behind a flood of failing requests from elsewhere.
/// Two addresses hashing to one slot only cost the blocked one's neighbour an exact check under the lock.
final class FailureLimiter: Sendable {
    private struct Entry {
        var windowStart: Date
        var failures: Int
    }

    private static let slotCount = 1024

    private let limit: Int
    private let window: TimeInterval
    private let capacity: Int
    private let entries = Mutex<[ClientAddress: Entry]>([:])
    /// Per slot, the latest end (whole seconds since 1970, rounded up) of a block of an address in it.
    private let blockedUntil: InlineArray<1024, Atomic<Int64>> = InlineArray { _ in Atomic(0) }

    init(limit: Int, window: Duration, capacity: Int) {
        self.limit = max(1, limit)
        self.window = max(1, window / .seconds(1))
        self.capacity = max(1, capacity)
    }

    /// Seconds `address` must wait before it is heard again (it has used up its failures in this
    /// window), or nil when it may go ahead.
    func retryAfter(_ address: ClientAddress, now: Date) -> Int? {
        let until = blockedUntil[Self.slot(address)].load(ordering: .relaxed)
        guard Int64(now.timeIntervalSince1970.rounded(.down)) < until else { return nil }
        return entries.withLock { entries in entries[address].flatMap { blockedFor($0, now: now, beyond: limit - 1) } }
    }

    /// Counts one failure of `address`. Returns how long it must wait when this failure is beyond its
    /// limit (for endpoints that answer before they check, so that failures past the limit get a 429).
    @discardableResult
    func recordFailure(_ address: ClientAddress, now: Date) -> Int? {
        let (entry, wait) = entries.withLock { entries -> (Entry, Int?) in
            var entry = entries[address] ?? Entry(windowStart: now, failures: 0)
            if now >= entry.windowStart.addingTimeInterval(window) || now < entry.windowStart {
                entry = Entry(windowStart: now, failures: 0)
            }
            entry.failures += 1
            if entries[address] == nil, entries.count >= capacity { evict(&entries, now: now) }
            entries[address] = entry
            return (entry, blockedFor(entry, now: now, beyond: limit))
        }
        if entry.failures >= limit {
            let end = Int64(entry.windowStart.addingTimeInterval(window).timeIntervalSince1970.rounded(.up))
            raise(Self.slot(address), to: end)
        }
        return wait
    }

    /// The wait for an entry with more than `allowed` failures in a window that has not ended.
    private func blockedFor(_ entry: Entry, now: Date, beyond allowed: Int) -> Int? {
        let end = entry.windowStart.addingTimeInterval(window)
        guard entry.failures > allowed, now < end else { return nil }
        return max(1, Int(end.timeIntervalSince(now).rounded(.up)))
    }

    /// Makes room: first the addresses whose window has passed, then the oldest windows.
    private func evict(_ entries: inout [ClientAddress: Entry], now: Date) {
        entries = entries.filter { now < $0.value.windowStart.addingTimeInterval(window) }
        guard entries.count >= capacity else { return }
        let oldest = entries.sorted { $0.value.windowStart < $1.value.windowStart }.prefix(entries.count - capacity * 9 / 10 + 1)
        for (address, _) in oldest { entries[address] = nil }
    }

    private func raise(_ slot: Int, to value: Int64) {
        var current = blockedUntil[slot].load(ordering: .relaxed)
        while current < value {
            let (exchanged, original) = blockedUntil[slot].compareExchange(expected: current, desired: value, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    private static func slot(_ address: ClientAddress) -> Int {
        var hasher = Hasher()
        hasher.combine(address)
        return Int(UInt(bitPattern: hasher.finalize()) % UInt(slotCount))
    }
}
