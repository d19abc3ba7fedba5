import Foundation
import RotorCore

/// Reads a key import (JSON lines or CSV) and checks every line before anything is written: the result is either
/// every entry, or every problem with its line. Problems never quote the input (a key in the wrong column would be
/// echoed), and each line costs work in proportion to its length, which is capped.
public struct KeyImportParser: Sendable {
    /// A longer line is refused unread: a key, an org, a name and a few scopes fit in far less.
    public static let maximumLineBytes = 64 * 1024
    public static let maximumScopes = 64
    static let maximumNameCharacters = 200

    public let file: String
    public let format: KeyImportFormat

    public init(file: String, format: KeyImportFormat) {
        self.file = file
        self.format = format
    }

    /// The entries of `bytes`, or a ``KeyImportError`` listing every bad line.
    public func parse(_ bytes: [UInt8]) throws(KeyImportError) -> [KeyImportEntry] {
        var state = State()
        var lineNumber = 0
        var start = 0
        // A byte-order mark some spreadsheets write is not part of the first line.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        while start < bytes.count {
            lineNumber += 1
            let newline = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var end = newline
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            read(bytes[start..<end], line: lineNumber, into: &state)
            start = newline + 1
        }
        if state.total > 0 {
            throw KeyImportError(file: file, problems: state.problems, total: state.total)
        }
        return state.entries
    }

    struct State {
        var entries: [KeyImportEntry] = []
        var problems: [KeyImportError.Problem] = []
        var total = 0
        /// CSV: the column of each field, from the header line.
        var columns: [String]?
        /// Adopted keys seen so far and their lines: a key can be imported once.
        var seenKeys: [String: Int] = [:]

        mutating func report(_ line: Int, _ message: String) {
            total += 1
            if problems.count < KeyImportError.shownLimit { problems.append(.init(line: line, message: message)) }
        }
    }

    private func read(_ bytes: ArraySlice<UInt8>, line: Int, into state: inout State) {
        guard bytes.count <= Self.maximumLineBytes else {
            return state.report(line, "the line is \(bytes.count) bytes long; at most \(Self.maximumLineBytes) are allowed")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return state.report(line, "the line is not valid UTF-8; save the file as UTF-8")
        }
        guard text.contains(where: { !$0.isWhitespace }) else { return }
        let fields: Fields
        do {
            fields = try format == .csv ? csvFields(text, line: line, state: &state) : jsonFields(text)
        } catch {
            return state.report(line, error.message)
        }
        guard let fields else { return }  // the CSV header
        do {
            let entry = try Self.entry(fields, line: line)
            if let key = entry.adoptedKey?.revealed {
                if let first = state.seenKeys[key] {
                    return state.report(line, "the same key as line \(first); a key can be imported once")
                }
                state.seenKeys[key] = line
            }
            state.entries.append(entry)
        } catch {
            state.report(line, error.message)
        }
    }

    struct Problem: Error {
        var message: String
        init(_ message: String) { self.message = message }
    }

    /// The values of one line, before they are checked.
    typealias Fields = (org: String?, name: String?, scopes: [String], key: String?)?

    static let csvColumns = ["org", "name", "scopes", "key"]

    private func csvFields(_ text: String, line: Int, state: inout State) throws(Problem) -> Fields {
        let values: [Substring]
        do {
            values = try CSVLine.fields(Substring(text))
        } catch .unterminatedQuote {
            throw Problem("a quoted field has no closing quote (fields cannot span lines)")
        } catch {
            throw Problem("text follows a closing quote; write a quote inside a quoted field as \"\"")
        }
        guard let columns = state.columns else {
            let header = values.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            if let unknown = header.firstIndex(where: { !Self.csvColumns.contains($0) }) {
                throw Problem("the header's column \(unknown + 1) is not one of org, name, scopes, key "
                              + "(the first line names the columns, e.g. org,name,scopes,key)")
            }
            guard header.contains("org"), Set(header).count == header.count else {
                throw Problem("the header must name each column once, org included (e.g. org,name,scopes,key)")
            }
            state.columns = header
            return nil
        }
        guard values.count == columns.count else {
            throw Problem("\(values.count) field(s), but the header names \(columns.count)")
        }
        func field(_ name: String) -> String? {
            columns.firstIndex(of: name).map { values[$0].trimmingCharacters(in: .whitespaces) }
        }
        return (field("org"), field("name"), Self.splitScopes(field("scopes") ?? ""), field("key"))
    }

    private func jsonFields(_ text: String) throws(Problem) -> Fields {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Problem("not a JSON object; each line holds one, e.g. {\"org\": \"acme\", \"name\": \"ci\", \"scopes\": [\"read\"]}")
        }
        if let unknown = object.keys.sorted().first(where: { !Self.csvColumns.contains($0) }) {
            throw Problem("unknown field \(unknown.count <= 40 ? "\"\(ControlCharacters.escaped(unknown))\"" : "(a long name)"); "
                          + "the fields are org, name, scopes, key")
        }
        func string(_ name: String) throws(Problem) -> String? {
            switch object[name] {
            case nil, is NSNull: return nil
            case let value as String: return value
            default: throw Problem("\(name) must be a string")
            }
        }
        let scopes: [String]
        switch object["scopes"] {
        case nil, is NSNull: scopes = []
        case let list as [Any]:
            guard let strings = list as? [String] else { throw Problem("scopes must be a list of strings") }
            scopes = strings
        case let text as String: scopes = Self.splitScopes(text)
        default: throw Problem("scopes must be a list of strings")
        }
        return (try string("org"), try string("name"), scopes, try string("key"))
    }

    static func splitScopes(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\t" }).map(String.init)
    }
}
