import Foundation

/// What the command line prints besides its result, and how loud it is (`--quiet`, `--verbose`).
///
/// Results (a status, a table, a rotation's outcome, JSON) are always printed; progress, hints and advice go
/// through ``info(_:)`` and are left out under `--quiet`. Errors always reach standard error.
enum Console {
    /// Set once while the command line is parsed, before any task starts; read-only afterwards.
    nonisolated(unsafe) private static var quiet = false
    nonisolated(unsafe) private static var verbose = false

    static func configure(quiet: Bool, verbose: Bool) {
        Self.quiet = quiet
        Self.verbose = verbose
    }

    /// `--quiet`: only errors and the essential result.
    static var isQuiet: Bool { quiet }
    /// `--verbose`: debug logging.
    static var isVerbose: Bool { verbose }

    /// Progress, hints and advice: printed unless `--quiet`.
    static func info(_ text: String) {
        if !quiet { print(text) }
    }

    /// An error for standard error, `Error:` in red on a colour terminal.
    static func error(_ message: String) {
        let style = TerminalStyle.standardError
        let text = message.hasPrefix("Error: ") ? style.paint("Error:", .red) + message.dropFirst("Error:".count) : message
        FileHandle.standardError.write(Data((text + (text.hasSuffix("\n") ? "" : "\n")).utf8))
    }
}
