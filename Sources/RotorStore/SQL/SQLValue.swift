import Foundation
import RotorCore

/// A value bound to, or read from, a SQL statement. Every value reaches the database as a bound parameter,
/// never spliced into SQL text.
enum SQLValue: Sendable, Equatable {
    case null
    case int(Int64)
    case text(String)
    case blob([UInt8])
}

extension SQLValue {
    init(_ value: String?) { self = value.map(SQLValue.text) ?? .null }
    init(_ value: Int64?) { self = value.map(SQLValue.int) ?? .null }
    init(_ value: Int?) { self = value.map { .int(Int64($0)) } ?? .null }
    init(_ value: Bool) { self = .int(value ? 1 : 0) }
    init(_ value: [UInt8]) { self = .blob(value) }
    /// Timestamps are whole milliseconds since 1970, UTC.
    init(_ value: Date?) { self = value.map { .int($0.epochMilliseconds) } ?? .null }
    init<E: RawRepresentable>(_ value: E) where E.RawValue == String { self = .text(value.rawValue) }

    /// A JSON array of strings, as stored in list columns (`warnings_sent`, `scopes`).
    init(jsonArray strings: [String]) {
        // Encoding an array of strings cannot fail.
        let data = (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8)
        self = .text(String(decoding: data, as: UTF8.self))
    }
}

extension Date {
    /// Milliseconds since 1970 (UTC), rounded: the unit every timestamp column stores.
    var epochMilliseconds: Int64 { Int64((timeIntervalSince1970 * 1000).rounded()) }

    init(epochMilliseconds: Int64) { self.init(timeIntervalSince1970: Double(epochMilliseconds) / 1000) }
}
