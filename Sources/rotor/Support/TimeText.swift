import ArgumentParser
import Foundation
import RotorCore

/// Parsing of times and durations given on the command line.
enum TimeText {
    static func parseArgument(_ text: String) throws -> Date {
        guard let date = ISO8601.parse(text) else {
            throw ValidationError("'\(text)' is not a time; use ISO 8601, e.g. 2026-12-01T03:00:00Z or 2026-12-01")
        }
        return date
    }
}

extension DurationText {
    /// For `--grace 24h` style options.
    static func parseArgument(_ text: String) throws -> Duration {
        do {
            return try DurationText.parse(text)
        } catch {
            throw ValidationError("'\(text)' is not a duration; use \(DurationText.forms)")
        }
    }
}
