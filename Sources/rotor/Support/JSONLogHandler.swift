import Foundation
import Logging
import RotorCore
import Synchronization

/// `ROTOR_LOG_FORMAT=json`: one JSON object per line on standard error, for journald, Loki and the like:
/// `time` (RFC 3339, UTC, milliseconds), `level`, `message`, `label`, then the metadata with dots in keys turned
/// into underscores (`http.path` → `http_path`) and Rotor's `rotation` named `rotation_id`. Metadata holds
/// names, ids and fingerprints only: values never reach a log line (see `CLILogging`).
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where lines go; standard error unless a test says otherwise.
    let write: @Sendable (String) -> Void

    init(label: String, level: Logger.Level, write: @escaping @Sendable (String) -> Void = JSONLogHandler.standardError) {
        self.label = label
        logLevel = level
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        write(Self.line(time: Date(), level: event.level, message: event.message.description, label: label, metadata: merged))
    }

    /// One log line, newline included. Exposed for tests.
    static func line(time: Date, level: Logger.Level, message: String, label: String, metadata: Logger.Metadata) -> String {
        var out = "{\"time\":\(quoted(time.formatted(timeStyle))),\"level\":\(quoted(level.rawValue))"
        out += ",\"message\":\(quoted(message)),\"label\":\(quoted(label))"
        for key in metadata.keys.sorted() {
            out += ",\(quoted(fieldName(key))):\(json(metadata[key]!))"
        }
        return out + "}\n"
    }

    private static let timeStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: TimeZone(identifier: "UTC")!)
    private static let reserved: Set<String> = ["time", "level", "message", "label"]

    private static func fieldName(_ key: String) -> String {
        let name = key == "rotation" ? "rotation_id" : key.replacingOccurrences(of: ".", with: "_")
        return reserved.contains(name) ? "meta_\(name)" : name
    }

    private static func json(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text): quoted(text)
        case .stringConvertible(let convertible): quoted(convertible.description)
        case .array(let items): "[" + items.map(json).joined(separator: ",") + "]"
        case .dictionary(let fields):
            "{" + fields.keys.sorted().map { "\(quoted($0)):\(json(fields[$0]!))" }.joined(separator: ",") + "}"
        }
    }

    /// A JSON string: quotes, backslashes and every control character escaped (a message can hold a newline,
    /// and one line must stay one record).
    static func quoted(_ text: String) -> String {
        JSONString.quoted(text, oneLine: true)
    }

    private static let lock = Mutex(())

    /// Writes one whole line at a time, so that lines of concurrent tasks never interleave.
    @Sendable static func standardError(_ line: String) {
        lock.withLock { _ in FileHandle.standardError.write(Data(line.utf8)) }
    }
}
