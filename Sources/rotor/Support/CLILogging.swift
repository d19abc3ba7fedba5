import Foundation
import Logging

/// Logs go to standard error, at the level in ROTOR_LOG_LEVEL (default `warning`, so command output
/// stays readable). Values never reach a log line: providers and the runner log fingerprints only.
enum CLILogging {
    private static let once: Void = {
        let level = ProcessInfo.processInfo.environment["ROTOR_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()

    static func bootstrap() { _ = once }
}
