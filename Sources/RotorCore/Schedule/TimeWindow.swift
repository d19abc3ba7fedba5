import Foundation

/// A daily wall-clock window such as `02:00-04:00` in which rotations may start; it may wrap midnight
/// (`23:00-01:00`). The start is inside the window, the end is not.
public struct TimeWindow: Sendable, Equatable, CustomStringConvertible {
    private let startMinute: Int
    private let endMinute: Int

    /// Opening time, local wall clock.
    public var start: (hour: Int, minute: Int) { (startMinute / 60, startMinute % 60) }
    /// Closing time, local wall clock (exclusive).
    public var end: (hour: Int, minute: Int) { (endMinute / 60, endMinute % 60) }

    /// A window from `start` to `end`; throws when they are equal (a window that never opens) or out of range.
    public init(start: (hour: Int, minute: Int), end: (hour: Int, minute: Int)) throws(TimeWindowError) {
        let text = Self.format(start.hour * 60 + start.minute) + "-" + Self.format(end.hour * 60 + end.minute)
        for time in [start, end] where !(0...23).contains(time.hour) || !(0...59).contains(time.minute) {
            throw TimeWindowError(text: text, reason: "hours run 00-23 and minutes 00-59")
        }
        try self.init(startMinute: start.hour * 60 + start.minute, endMinute: end.hour * 60 + end.minute, text: text)
    }

    /// Parses `HH:MM-HH:MM` (24-hour clock).
    public init(parsing text: String) throws(TimeWindowError) {
        let form = "write it as HH:MM-HH:MM on the 24-hour clock, e.g. 02:00-04:00 (may wrap midnight: 23:00-01:00)"
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Self.clockTime(parts[0]), let end = Self.clockTime(parts[1]) else {
            throw TimeWindowError(text: text, reason: form)
        }
        try self.init(startMinute: start, endMinute: end, text: text)
    }

    private init(startMinute: Int, endMinute: Int, text: String) throws(TimeWindowError) {
        guard startMinute != endMinute else {
            throw TimeWindowError(text: text, reason: "start and end are the same, so the window never opens; give it a length")
        }
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    public var description: String { Self.format(startMinute) + "-" + Self.format(endMinute) }

    /// Whether `date` falls inside the window on the wall clock of `timeZone`.
    public func contains(_ date: Date, in timeZone: TimeZone) -> Bool {
        contains(minuteOfDay: ZoneClock.wallTime(of: date, in: timeZone).minuteOfDay)
    }

    /// `date` itself if it is inside the window, else the next instant the window opens.
    ///
    /// On a day whose opening time falls into a spring-forward gap the window opens at the end of the gap when
    /// that is still inside it; if the whole window lies in the gap, that day has no window.
    public func nextOpening(atOrAfter date: Date, in timeZone: TimeZone) -> Date {
        if contains(date, in: timeZone) { return date }
        let today = ZoneClock.wallTime(of: date, in: timeZone)
        var opening = WallTime(year: today.year, month: today.month, day: today.day, hour: start.hour, minute: start.minute)
        // Only a DST gap can make a day's opening unusable, and gaps are at least months apart.
        for _ in 0..<3 {
            let instant = ZoneClock.instant(for: opening, in: timeZone)
            if instant >= date && contains(instant, in: timeZone) { return instant }
            opening = opening.addingDays(1)
        }
        return ZoneClock.instant(for: opening, in: timeZone)
    }

    private func contains(minuteOfDay minute: Int) -> Bool {
        startMinute < endMinute
            ? (startMinute..<endMinute).contains(minute)
            : minute >= startMinute || minute < endMinute
    }

    private static func clockTime(_ text: Substring) -> Int? {
        let pieces = text.split(separator: ":", omittingEmptySubsequences: false)
        guard pieces.count == 2, pieces.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(pieces[0]), let minute = Int(pieces[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private static func format(_ minuteOfDay: Int) -> String {
        let hour = minuteOfDay / 60, minute = minuteOfDay % 60
        return (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }
}
