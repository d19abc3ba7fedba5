import Foundation

/// Converts between instants and wall times of a time zone, with the DST rules Rotor promises:
/// a wall time inside a spring-forward gap maps to the first instant after the gap (as cronie runs a 02:30 job
/// at 03:00), and a wall time repeated by a fall-back maps to its first occurrence.
///
/// Foundation's `Calendar.date(from:)` resolves gaps by shifting forward by the gap's length (02:30 → 03:30)
/// and does not document which repeated instant it picks, so the offsets are worked out here from
/// `TimeZone.secondsFromGMT(for:)`, which is unambiguous.
enum ZoneClock {
    /// The wall time of `date` in `timeZone`, seconds dropped.
    static func wallTime(of date: Date, in timeZone: TimeZone) -> WallTime {
        let instant = Int64(date.timeIntervalSince1970.rounded(.down))
        let offset = Int64(timeZone.secondsFromGMT(for: date))
        return WallTime(secondsAsIfUTC: instant + offset)
    }

    /// The instant at which the clocks of `timeZone` show `wall`.
    static func instant(for wall: WallTime, in timeZone: TimeZone) -> Date {
        let local = wall.secondsAsIfUTC
        func offset(at instant: Int64) -> Int64 {
            Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(instant))))
        }
        // Every offset in force within a day of `wall` is a candidate; a candidate is right when the zone
        // really has that offset at the instant it implies.
        let around = [offset(at: local - 86_400), offset(at: local + 86_400)]
        let candidates = Set(around + around.map { offset(at: local - $0) })
        let valid = candidates.filter { offset(at: local - $0) == $0 }.map { local - $0 }
        if let earliest = valid.min() {
            return Date(timeIntervalSince1970: TimeInterval(earliest))
        }
        // A gap: the clocks jumped over `wall`. The transition instant lies between the instants the smaller
        // and the larger offset would give; it is the first instant whose wall time is after `wall`.
        var low = local - (candidates.max() ?? 0)      // still before the jump
        var high = local - (candidates.min() ?? 0)     // already after it
        let before = offset(at: low)
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if offset(at: middle) == before { low = middle } else { high = middle }
        }
        return Date(timeIntervalSince1970: TimeInterval(high))
    }
}
