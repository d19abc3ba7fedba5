import ArgumentParser
import Foundation
import RotorCore

/// Parsing of times and durations given on the command line.
enum TimeText {
    /// The characters an ISO 8601 time can have. Foundation's parser accepts a valid time followed by anything,
    /// so the whole text is checked first: `--now 2026-01-01T00:00:00Z<escape codes>` is refused, not half read.
    static let timeCharacters = Set("0123456789-:.TZ+")

    /// For `--now`, `--since` and `--until`: one parser, so every command takes the same forms.
    static func parseArgument(_ text: String) throws -> Date {
        guard text.count <= 40, text.allSatisfy(timeCharacters.contains), let date = ISO8601.parse(text) else {
            // The text is echoed only when it is short and plain: a terminal would act on control characters.
            let shown = text.count <= 40 && text.allSatisfy({ $0.isLetter || $0.isNumber || "-:.+ ".contains($0) }) ? "'\(text)'" : "this value"
            throw ValidationError("\(shown) is not a time; use ISO 8601, e.g. 2026-12-01T03:00:00Z or 2026-12-01")
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
