import Foundation
import Logging

/// Logs go to standard error, at `debug` with `--verbose`, `error` with `--quiet`, else at the level in
/// ROTOR_LOG_LEVEL (default `warning`, so command output stays readable). Values never reach a log line:
/// providers and the runner log fingerprints only.
enum CLILogging {
    private static let once: Void = {
        let configured = ProcessInfo.processInfo.environment["ROTOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        // A flag beats the environment; --verbose never hides what ROTOR_LOG_LEVEL=trace shows.
        let level = Console.isVerbose ? min(configured, .debug) : Console.isQuiet ? max(configured, .error) : configured
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func bootstrap() { _ = once }
}
