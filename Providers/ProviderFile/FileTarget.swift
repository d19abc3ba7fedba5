import Foundation
import RotorCore

#if canImport(Glibc)
import Glibc
#endif

/// Writes the secret into a dotenv or JSON file. Every other entry of the file is kept byte for byte;
/// the new file replaces the old atomically (temp file in the same folder, fsync, rename), mode 0600.
public struct FileTarget: SecretTarget {
    public enum Format: String, Sendable, CaseIterable { case dotenv, json }

    public static let schema = ProviderSchema(kind: .target, name: "file", fields: [
        FieldSpec("path", .nonEmptyString, required: true, doc: "the file to write"),
        FieldSpec("format", .enumeration(Format.allCases.map(\.rawValue)), doc: "dotenv (default) or json"),
        FieldSpec("key", .nonEmptyString, required: true, doc: "the variable or top-level JSON key"),
    ], labelFields: ["path", "key"])

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
        try update(to: value.revealed)
    }

    public func restore(_ previous: SecretValue?, _ context: StepContext) async throws {
        try update(to: previous?.revealed)
    }

    /// The value the file holds now (none when the file or the entry is absent), for drift.
    public func read() async throws -> TargetReading {
        .held(try currentValue().map { [SecretValue($0)] } ?? [])
    }

    /// Sets (or with nil removes) the entry.
    public func update(to value: String?) throws {
        let existing = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
        let updated: String
        switch format {
        case .dotenv: updated = try DotenvEditor.set(key, to: value, in: existing ?? "")
        case .json: updated = try JSONObjectEditor.set(key, to: value, in: existing ?? "{}\n", file: path)
        }
        try AtomicFile.write(Data(updated.utf8), to: path)
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

/// Atomic replacement of a file's contents.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        var template = Array("\(folder)/.\(url.lastPathComponent).rotor-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw FileTargetError("cannot create a temporary file in \(folder): \(String(cString: strerror(errno)))") }
        let tempPath = String(cString: template)
        var ok = false
        defer {
            if !ok { unlink(tempPath) }
        }
        fchmod(fd, 0o600)
        let written = data.withUnsafeBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { return -1 }
                offset += n
            }
            return offset
        }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == data.count, synced else { throw FileTargetError("cannot write \(path): \(String(cString: strerror(errno)))") }
        guard rename(tempPath, path) == 0 else { throw FileTargetError("cannot replace \(path): \(String(cString: strerror(errno)))") }
        ok = true
        let dir = open(folder, O_RDONLY)
        if dir >= 0 {
            fsync(dir)
            close(dir)
        }
    }
}

public struct FileTargetError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
