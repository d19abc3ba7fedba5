import Foundation

/// A local wall-clock time, minute precision, in no particular zone.
///
/// Cron and windows are defined on wall time, so the search for the next firing runs here with plain
/// civil-calendar arithmetic and only the final answer is turned into an instant by `ZoneClock`. Doing the
/// arithmetic ourselves (rather than with `Calendar.date(byAdding:)`) keeps DST out of the search: a day is
/// always 24 wall hours, and gaps and repeats are handled in exactly one place.
struct WallTime: Comparable, Hashable, Sendable, CustomStringConvertible {
    var year: Int
    var month: Int   // 1...12
    var day: Int     // 1...daysInMonth
    var hour: Int    // 0...23
    var minute: Int  // 0...59

    /// Days since 1970-01-01 of this wall time's date (proleptic Gregorian).
    var dayNumber: Int { WallTime.dayNumber(year: year, month: month, day: day) }

    /// 0 = Sunday ... 6 = Saturday.
    var weekday: Int { Self.weekday(dayNumber: dayNumber) }

    /// Seconds since 1970-01-01T00:00 of this wall time, read as if it were UTC.
    var secondsAsIfUTC: Int64 { Int64(dayNumber) * 86_400 + Int64(hour * 3_600 + minute * 60) }

    var minuteOfDay: Int { hour * 60 + minute }

    var description: String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(hour)):\(two(minute))"
    }

    static func < (lhs: WallTime, rhs: WallTime) -> Bool {
        (lhs.year, lhs.month, lhs.day, lhs.hour, lhs.minute) < (rhs.year, rhs.month, rhs.day, rhs.hour, rhs.minute)
    }

    /// The wall time `secondsAsIfUTC` seconds after the epoch, seconds within the minute dropped.
    init(secondsAsIfUTC seconds: Int64) {
        let days = Int(seconds.floorDivided(by: 86_400))
        let secondOfDay = Int(seconds - Int64(days) * 86_400)
        let (year, month, day) = Self.civil(dayNumber: days)
        self.init(year: year, month: month, day: day, hour: secondOfDay / 3_600, minute: secondOfDay % 3_600 / 60)
    }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Midnight of the first day of the next month.
    func startOfNextMonth() -> WallTime {
        month == 12
            ? WallTime(year: year + 1, month: 1, day: 1, hour: 0, minute: 0)
            : WallTime(year: year, month: month + 1, day: 1, hour: 0, minute: 0)
    }

    /// Midnight of the next day.
    func startOfNextDay() -> WallTime {
        if day < Self.daysInMonth(year: year, month: month) {
            return WallTime(year: year, month: month, day: day + 1, hour: 0, minute: 0)
        }
        return startOfNextMonth()
    }

    /// The same date `days` days later (or earlier), keeping hour and minute.
    func addingDays(_ days: Int) -> WallTime {
        let (year, month, day) = Self.civil(dayNumber: dayNumber + days)
        return WallTime(year: year, month: month, day: day, hour: hour, minute: minute)
    }

    /// Minute 0 of the next hour (rolling over into the next day).
    func startOfNextHour() -> WallTime {
        hour < 23 ? WallTime(year: year, month: month, day: day, hour: hour + 1, minute: 0) : startOfNextDay()
    }

    func addingOneMinute() -> WallTime {
        minute < 59 ? WallTime(year: year, month: month, day: day, hour: hour, minute: minute + 1) : startOfNextHour()
    }

    static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// 1970-01-01 was a Thursday (4).
    static func weekday(dayNumber: Int) -> Int {
        ((dayNumber % 7) + 7 + 4) % 7
    }

    // Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
    static func dayNumber(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
