import Foundation
import RotorCore

/// One result row, read by column name. Getters throw ``StoreError/Code/queryFailed`` when a column is missing
/// or holds another type than the record expects (a schema that drifted, never a caller's mistake).
struct SQLRow: Sendable {
    /// Column names to positions, shared by every row of one result.
    final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]

        init(_ names: [String]) {
            self.names = names
            var positions: [String: Int] = [:]
            for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
            self.positions = positions
        }
    }

    let columns: Columns
    let values: [SQLValue]

    subscript(_ column: String) -> SQLValue {
        get throws {
            guard let index = columns.positions[column] else {
                throw StoreError.queryFailed("result has no column \(column)")
            }
            return values[index]
        }
    }

    private func mismatch(_ column: String, expected: String, found: SQLValue) -> StoreError {
        let kind = switch found {
        case .null: "NULL"
        case .int: "an integer"
        case .text: "text"
        case .blob: "bytes"
        }
        return StoreError.queryFailed("column \(column) holds \(kind) where \(expected) was expected; the schema may have been changed by hand")
    }

    func optionalText(_ column: String) throws -> String? {
        switch try self[column] {
        case .null: return nil
        case .text(let text): return text
        case let other: throw mismatch(column, expected: "text", found: other)
        }
    }

    func text(_ column: String) throws -> String {
        guard let text = try optionalText(column) else { throw mismatch(column, expected: "text", found: .null) }
        return text
    }

    func optionalInt64(_ column: String) throws -> Int64? {
        switch try self[column] {
        case .null: return nil
        case .int(let value): return value
        case let other: throw mismatch(column, expected: "an integer", found: other)
        }
    }

    func int64(_ column: String) throws -> Int64 {
        guard let value = try optionalInt64(column) else { throw mismatch(column, expected: "an integer", found: .null) }
        return value
    }

    func optionalInt(_ column: String) throws -> Int? { try optionalInt64(column).map { Int($0) } }

    func int(_ column: String) throws -> Int { Int(try int64(column)) }

    func bool(_ column: String) throws -> Bool { try int64(column) != 0 }

    func optionalDate(_ column: String) throws -> Date? { try optionalInt64(column).map(Date.init(epochMilliseconds:)) }

    func date(_ column: String) throws -> Date { Date(epochMilliseconds: try int64(column)) }

    func blob(_ column: String) throws -> [UInt8] {
        switch try self[column] {
        case .blob(let bytes): return bytes
        case let other: throw mismatch(column, expected: "bytes", found: other)
        }
    }

    func optionalBlob(_ column: String) throws -> [UInt8]? {
        if case .null = try self[column] { return nil }
        return try blob(column)
    }

    /// A column holding one of an enum's raw values (guarded by a CHECK constraint in the schema).
    func value<E: RawRepresentable>(_ column: String, as type: E.Type) throws -> E where E.RawValue == String {
        let raw = try text(column)
        guard let value = E(rawValue: raw) else {
            throw StoreError.queryFailed("column \(column) holds an unknown \(E.self) value; the database may belong to a newer rotor")
        }
        return value
    }

    /// A column holding a JSON array of strings.
    func stringArray(_ column: String) throws -> [String] {
        let json = try text(column)
        do {
            return try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw StoreError.queryFailed("column \(column) does not hold a JSON array of strings")
        }
    }
}
