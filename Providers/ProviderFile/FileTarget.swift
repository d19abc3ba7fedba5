import Foundation
import RotorCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes the secret into a dotenv or JSON file. Every other entry of the file is kept byte for byte;
/// the new file replaces the old atomically (temp file in the same folder, fsync, rename) and keeps the old
/// one's mode and owner (a new file is 0600). One edit of a file at a time, in this process and across processes
/// that take the same lock (see `FileLock`); the blocking I/O runs off Swift's cooperative pool.
public struct FileTarget: SecretTarget {
    public enum Format: String, Sendable, CaseIterable { case dotenv, json }

    public static let schema = ProviderSchema(kind: .target, name: "file", fields: [
        FieldSpec("path", .nonEmptyString, required: true, doc: "the file to write"),
        FieldSpec("format", .enumeration(Format.allCases.map(\.rawValue)), doc: "dotenv (default) or json"),
        FieldSpec("key", .nonEmptyString, required: true, doc: "the variable or top-level JSON key"),
    ], labelFields: ["path", "key"], rules: rules)

    /// What `rotor validate` checks beyond the types, so that a bad key or path fails before any rotation does.
    static func rules(_ fields: [String: ConfigValue]) -> [ProviderSchema.Problem] {
        var problems: [ProviderSchema.Problem] = []
        // A blank path is already refused by its type (`nonEmptyString`).
        if let path = fields["path"]?.stringValue, path.unicodeScalars.contains("\0") {
            problems.append(("path", "path contains a NUL character, which no file name can hold"))
        }
        let format = fields["format"]?.stringValue.flatMap(Format.init(rawValue:)) ?? .dotenv
        if format == .dotenv, let key = fields["key"]?.stringValue, let problem = dotenvKeyProblem(key) {
            problems.append(("key", problem))
        }
        return problems
    }

    /// Why `key` cannot name a dotenv entry (`KEY=VALUE` on one line), or nil.
    static func dotenvKeyProblem(_ key: String) -> String? {
        let scalars = key.unicodeScalars
        if scalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\u{85}" || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "a dotenv key cannot contain a line break"
        }
        if scalars.contains("\0") { return "a dotenv key cannot contain a NUL character" }
        if scalars.contains("=") { return "a dotenv key cannot contain '=' (it ends the key)" }
        if let first = key.first, let last = key.last, first.isWhitespace || last.isWhitespace {
            return "a dotenv key cannot start or end with a space"
        }
        return nil
    }

    public let path: String
    public let format: Format
    public let key: String

    public init(path: String, format: Format = .dotenv, key: String) {
        self.path = path
        self.format = format
        self.key = key
    }

    public init(config: ProviderConfig) {
        self.init(path: config.string("path") ?? "", format: config.string("format").flatMap(Format.init(rawValue:)) ?? .dotenv,
                  key: config.string("key") ?? "")
    }

    public var label: String { "\(path): \(key)" }
    public var provider: String { "file" }

    public func apply(_ value: SecretValue, _ context: StepContext) async throws {
        try await update(to: value.revealed)
    }

    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        try await update(to: previous?.revealed)
    }

    /// Sets (or with nil removes) the entry: read, edit and replace the file, all under its lock.
    public func update(to value: String?) async throws {
        let (path, format, key) = (path, format, key)
        try await FileLock.withLock(on: path) { canonical in
            let existing = FileManager.default.contents(atPath: canonical).map { String(decoding: $0, as: UTF8.self) }
            let updated: String
            switch format {
            case .dotenv: updated = try DotenvEditor.set(key, to: value, in: existing ?? "")
            case .json: updated = try JSONObjectEditor.set(key, to: value, in: existing ?? "{}\n", file: path)
            }
            try AtomicFile.write(Data(updated.utf8), to: canonical)
        }
    }

    /// The value the file holds now, if any (tests and `rotor plan`).
    public func currentValue() throws -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        switch format {
        case .dotenv: return DotenvEditor.get(key, in: text)
        case .json: return try JSONObjectEditor.get(key, in: text, file: path)
        }
    }
}
