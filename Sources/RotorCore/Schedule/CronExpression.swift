import Foundation

/// A standard five-field cron expression (minute hour day-of-month month day-of-week) and its firing times.
///
/// Accepted: `*`, numbers, ranges `a-b`, steps `*/n` and `a-b/n`, lists, month names `JAN`-`DEC` and weekday
/// names `SUN`-`SAT` (any case), `7` for Sunday, and the macros `@yearly` `@annually` `@monthly` `@weekly`
/// `@daily` `@midnight` `@hourly`.
///
/// Day matching follows cronie and Vixie cron: when both day fields are restricted, a day matches if
/// EITHER matches; a field counts as unrestricted when it starts with `*` (so `*/2` is unrestricted, as in cronie).
public struct CronExpression: Sendable, Equatable, CustomStringConvertible {
    /// The expression as written (trimmed).
    public let source: String
    private let minutes: UInt64
    private let hours: UInt64
    private let daysOfMonth: UInt64
    private let months: UInt64
    private let daysOfWeek: UInt64
    private let dayOfMonthRestricted: Bool
    private let dayOfWeekRestricted: Bool

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    /// Parses `text`; throws a `CronError` naming the field at fault and its allowed values.
    public init(parsing text: String) throws(CronError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var body = trimmed
        if trimmed.hasPrefix("@") {
            guard let expanded = Self.macros[trimmed.lowercased()] else {
                let known = Self.macros.keys.sorted().joined(separator: ", ")
                throw CronError(trimmed, "unknown macro \"\(trimmed)\" (known: \(known); @reboot is not a schedule)")
            }
            body = expanded
        }
        let fields = body.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            let extra = fields.count == 6 ? "; seconds and years are not supported" : ""
            throw CronError(trimmed, "expected 5 fields (minute hour day-of-month month day-of-week), found \(fields.count)\(extra)")
        }
        source = trimmed
        minutes = try CronField.minute.parse(fields[0], expression: trimmed)
        hours = try CronField.hour.parse(fields[1], expression: trimmed)
        daysOfMonth = try CronField.dayOfMonth.parse(fields[2], expression: trimmed)
        months = try CronField.month.parse(fields[3], expression: trimmed)
        daysOfWeek = try CronField.dayOfWeek.parse(fields[4], expression: trimmed)
        dayOfMonthRestricted = !fields[2].hasPrefix("*")
        dayOfWeekRestricted = !fields[4].hasPrefix("*")
    }

    public var description: String { source }

    /// Two expressions are equal when they fire at the same times, however they are written.
    public static func == (lhs: CronExpression, rhs: CronExpression) -> Bool {
        lhs.minutes == rhs.minutes && lhs.hours == rhs.hours && lhs.daysOfMonth == rhs.daysOfMonth
            && lhs.months == rhs.months && lhs.daysOfWeek == rhs.daysOfWeek
            && lhs.dayOfMonthRestricted == rhs.dayOfMonthRestricted && lhs.dayOfWeekRestricted == rhs.dayOfWeekRestricted
    }

    /// The first firing strictly after `date`, on the wall clock of `timeZone`; nil if none within 5 years.
    ///
    /// A firing whose wall time falls in a spring-forward gap happens at the first instant after the gap;
    /// a wall time that a fall-back repeats fires once, at its first occurrence.
    public func nextFire(after date: Date, in timeZone: TimeZone) -> Date? {
        guard canEverFire else { return nil }
        let start = ZoneClock.wallTime(of: date, in: timeZone)
        let lastYear = start.year + 5
        let horizon = date.addingTimeInterval(5 * 366 * 86_400)
        var wall = start.addingOneMinute()
        var steps = 0
        defer { WorkCounter.add(.cronSearchSteps, by: steps) }
        while wall.year <= lastYear {
            steps += 1
            if !months.has(wall.month) {
                wall = wall.startOfNextMonth()
            } else if !dayMatches(wall) {
                wall = wall.startOfNextDay()
            } else if !hours.has(wall.hour) {
                if let hour = hours.first(from: wall.hour + 1, through: 23) {
                    wall = WallTime(year: wall.year, month: wall.month, day: wall.day, hour: hour, minute: 0)
                } else {
                    wall = wall.startOfNextDay()
                }
            } else if !minutes.has(wall.minute) {
                if let minute = minutes.first(from: wall.minute + 1, through: 59) {
                    wall.minute = minute
                } else {
                    wall = wall.startOfNextHour()
                }
            } else {
                let instant = ZoneClock.instant(for: wall, in: timeZone)
                // A gap or a repeated hour can map a later wall time onto an instant we already passed.
                if instant > date {
                    return instant <= horizon ? instant : nil
                }
                wall = wall.addingOneMinute()
            }
        }
        return nil
    }

    private func dayMatches(_ wall: WallTime) -> Bool {
        let byMonthDay = daysOfMonth.has(wall.day)
        let byWeekday = daysOfWeek.has(wall.weekday)
        return dayOfMonthRestricted && dayOfWeekRestricted ? (byMonthDay || byWeekday) : (byMonthDay && byWeekday)
    }

    /// False when no calendar date can ever match (e.g. February 30). Decided by the expression alone, never by
    /// today's date: every valid day of a month falls on every weekday in some year.
    public var canEverFire: Bool {
        if dayOfMonthRestricted && dayOfWeekRestricted { return true }
        return (1...12).contains { month in
            let longest = month == 2 ? 29 : WallTime.daysInMonth(year: 2001, month: month)
            return months.has(month) && (1...longest).contains { daysOfMonth.has($0) }
        }
    }
}

private extension UInt64 {
    func has(_ value: Int) -> Bool { self & (1 << UInt64(value)) != 0 }

    func first(from low: Int, through high: Int) -> Int? {
        guard low <= high else { return nil }
        return (low...high).first { has($0) }
    }
}
