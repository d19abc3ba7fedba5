import Foundation

/// Calendar months in UTC, as the report and the dashboard count rotations per month.
enum ReportMonths {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// The month holding `date`, e.g. `2026-03`.
    static func label(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month], from: date)
        return String(format: "%04d-%02d", parts.year ?? 0, parts.month ?? 0)
    }

    /// The first instant of the month holding `date`.
    static func start(of date: Date) -> Date {
        calendar.date(from: calendar.dateComponents([.year, .month], from: date)) ?? date
    }

    /// The starts of the months from the one holding `from` while before `end`, at most `limit` of them.
    static func starts(from: Date, before end: Date, limit: Int) -> [Date] {
        var starts: [Date] = []
        var cursor = start(of: from)
        while cursor < end, starts.count < limit {
            starts.append(cursor)
            guard let next = calendar.date(byAdding: .month, value: 1, to: cursor) else { break }
            cursor = next
        }
        return starts
    }
}
