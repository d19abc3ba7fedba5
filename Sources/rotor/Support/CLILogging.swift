import ArgumentParser
import Foundation
import Logging
import RotorCore
import Synchronization

/// Logs go to standard error, at `debug` with `--verbose`, `error` with `--quiet`, else at the level in
/// ROTOR_LOG_LEVEL (default `warning`, so command output stays readable), as text or, with
/// `--log-format json` or ROTOR_LOG_FORMAT=json, one JSON object per line (``JSONLogHandler``). Values never reach a log line:
/// providers and the runner log fingerprints only.
enum CLILogging {
    /// How log lines are written.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case text, json
    }

    /// The format of `flag`, else of ROTOR_LOG_FORMAT, else text. An unknown ROTOR_LOG_FORMAT is said once on
    /// standard error and logs as text (a typo in a unit file should not stop the daemon).
    static func format(flag: Format?, environment: [String: String]) -> Format {
        if let flag { return flag }
        guard let text = environment["ROTOR_LOG_FORMAT"], !text.isEmpty else { return .text }
        if let format = Format(rawValue: text.lowercased()) { return format }
        let shown = ControlCharacters.escaped(String(text.prefix(40)))
        FileHandle.standardError.write(Data("rotor: ROTOR_LOG_FORMAT=\(shown) is not text or json; logging as text\n".utf8))
        return .text
    }

    private static let chosen = Mutex<Format?>(nil)

    private static let once: Void = {
        let environment = ProcessInfo.processInfo.environment
        let configured = environment["ROTOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        // A flag beats the environment; --verbose never hides what ROTOR_LOG_LEVEL=trace shows.
        let level = Console.isVerbose ? min(configured, .debug) : Console.isQuiet ? max(configured, .error) : configured
        let chosenFormat = chosen.withLock { $0 } ?? format(flag: nil, environment: environment)
        LoggingSystem.bootstrap { label in
            switch chosenFormat {
            case .json:
                return JSONLogHandler(label: label, level: level)
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = level
                return handler
            }
        }
    }()

    /// Starts logging (once per process); `format` is the `--log-format` flag, if given.
    static func bootstrap(format flag: Format? = nil) {
        if let flag { chosen.withLock { $0 = $0 ?? flag } }
        _ = once
    }
}
