import Foundation
import Synchronization

/// UTC timestamps as people and scripts read them: `2026-11-23T13:20:00Z`.
public enum ISO8601 {
    public static func string(_ date: Date) -> String {
        // Building a formatter costs far more than formatting; bulk work (thousands of keys rotated with one grace
        // end) formats the same instant over and over, so the last one is remembered.
        if let (cached, text) = last.withLock({ $0 }), cached == date { return text }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: date)
        last.withLock { $0 = (date, text) }
        return text
    }

    private static let last = Mutex<(Date, String)?>(nil)

    /// Accepts `2026-11-23T13:20:00Z`, with fractional seconds or an offset, and a bare date (midnight UTC).
    public static func parse(_ text: String) -> Date? {
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let date = full.date(from: text) { return date }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = full.date(from: text) { return date }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        return day.date(from: text)
    }
}
