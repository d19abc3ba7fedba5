import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a stream gets emoji and colour: only a terminal does, and only when neither `NO_COLOR` (any
/// non-empty value, see no-color.org) nor `TERM=dumb` asks for plain text. A pipe, a file or a log gets plain
/// ASCII marks and no escape sequences, so scripts and `grep` see the same words a person reads.
struct TerminalStyle: Sendable {
    /// ANSI colours used by the command line.
    enum Colour: String, Sendable {
        case red = "31", green = "32", yellow = "33", bold = "1"
    }

    /// Emoji and colour on.
    let decorated: Bool

    /// The decision for a stream that is (or is not) a terminal, in `environment`.
    static func decide(isTerminal: Bool, environment: [String: String]) -> TerminalStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let dumb = environment["TERM"] == "dumb"
        return TerminalStyle(decorated: isTerminal && !noColor && !dumb)
    }

    static let standardOutput = decide(isTerminal: isatty(STDOUT_FILENO) == 1, environment: ProcessInfo.processInfo.environment)
    static let standardError = decide(isTerminal: isatty(STDERR_FILENO) == 1, environment: ProcessInfo.processInfo.environment)

    /// `text` in `colour` when decorated, else as it is.
    func paint(_ text: String, _ colour: Colour) -> String {
        decorated ? "\u{1B}[\(colour.rawValue)m\(text)\u{1B}[0m" : text
    }
}
