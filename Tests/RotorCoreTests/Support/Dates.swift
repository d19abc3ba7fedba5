import Foundation

/// `2026-03-29T01:00:00Z` → Date. Test input is always well-formed, so a bad literal is a test bug and traps.
func utc(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    guard let date = formatter.date(from: text) else { fatalError("bad date literal \(text)") }
    return date
}

func zone(_ identifier: String) -> TimeZone {
    guard let zone = TimeZone(identifier: identifier) else { fatalError("unknown zone \(identifier)") }
    return zone
}

let utcZone = zone("UTC")
let berlin = zone("Europe/Berlin")
