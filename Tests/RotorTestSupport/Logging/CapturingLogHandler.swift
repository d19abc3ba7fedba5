import Foundation
import Logging

/// Keeps every log line, rendered with its metadata, so tests can search what would have been logged.
public struct CapturingLogHandler: LogHandler {
    /// The shared list of rendered lines. `@unchecked Sendable` because `lines` is only touched under `lock`.
    public final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []

        public init() {}

        /// Adds one rendered line.
        public func append(_ line: String) { lock.withLock { lines.append(line) } }
        /// Every line so far, oldest first: `LEVEL MESSAGE key=value ...` with the metadata sorted by key.
        public var all: [String] { lock.withLock { lines } }
    }

    public let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace
    public var metadataProvider: Logger.MetadataProvider?

    public init(store: Store) {
        self.store = store
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("\(event.level) \(event.message) \(rendered)")
    }

    /// A logger at trace level writing into a fresh store, and that store.
    public static func logger(label: String = "rotor.test") -> (Logger, Store) {
        let store = Store()
        return (logger(label, into: store), store)
    }

    /// A logger at trace level writing into `store`, which several loggers may share.
    public static func logger(_ label: String, into store: Store) -> Logger {
        var logger = Logger(label: label) { _ in CapturingLogHandler(store: store) }
        logger.logLevel = .trace
        return logger
    }
}
