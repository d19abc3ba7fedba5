import Foundation

/// The two timestamp formats of the emulated APIs.
enum Timestamp {
    /// Vercel: milliseconds since the epoch, as an integer.
    static func milliseconds(_ date: Date) -> Int {
        Int((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// Render: RFC 3339 in UTC with microseconds, as in `2024-12-02T18:25:26.846684Z`.
    static func rfc3339(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        let micros = Int(((date.timeIntervalSince1970 - seconds) * 1_000_000).rounded(.down))
        let whole = Date(timeIntervalSince1970: seconds).ISO8601Format()
        // `whole` ends in "Z"; the fraction goes before it.
        let fraction = String(micros).leftPadded(to: 6)
        return String(whole.dropLast()) + "." + fraction + "Z"
    }

    static func rfc3339(_ date: Date?) -> JSONValue {
        date.map { .string(rfc3339($0)) } ?? .null
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
