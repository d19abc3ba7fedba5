import Foundation
import RotorCore

/// The period a report covers: `from` inclusive, `to` exclusive, both UTC.
public struct ReportPeriod: Sendable, Equatable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// The period from two values as `fields` name them (the command line's options by default): a date alone as
    /// the end means through the end of that day (a report "to 2026-03-31" covers the 31st). Throws
    /// ``ReportPeriodError`` naming those fields and what to do.
    public static func parse(from fromText: String, to toText: String, now: Date,
                             fields: ReportPeriodFields = .commandLine) throws -> ReportPeriod {
        let from = try date(fromText, field: fields.from, fields)
        var to = try date(toText, field: fields.to, fields)
        if isDateOnly(toText) { to = to.addingTimeInterval(86400) }
        let period = ReportPeriod(from: from, to: to)
        try period.validate(now: now, fields: fields)
        return period
    }

    /// Refuses an empty, reversed or future period, naming `fields`.
    public func validate(now: Date, fields: ReportPeriodFields = .commandLine) throws {
        guard from < to else {
            if !fields.takesTimes {
                throw ReportPeriodError("\(fields.from) (\(Self.day(from))) is after \(fields.to) (\(Self.day(to.addingTimeInterval(-1)))); "
                                        + "pick a \(fields.from) day on or before the \(fields.to) day")
            }
            throw ReportPeriodError("\(fields.from) (\(ISO8601.string(from))) must be before \(fields.to) (\(ISO8601.string(to))); "
                                    + "e.g. \(fields.from) 2026-01-01 \(fields.to) 2026-03-31")
        }
        guard from <= now else {
            let start = fields.takesTimes ? ISO8601.string(from) : Self.day(from)
            throw ReportPeriodError("\(fields.from) (\(start)) is in the future; a report covers what already happened"
                                    + (fields.takesTimes ? "" : ": pick a \(fields.from) day up to today"))
        }
    }

    /// The end of what the report can know: `to`, or now when the period has not ended yet.
    public func end(now: Date) -> Date { min(to, now) }

    /// A file name for the period, e.g. `rotor-report-2026-01-01-to-2026-03-31.html` (`to` shown inclusive).
    public func fileName(extension ext: String) -> String {
        let last = to.addingTimeInterval(-1)
        return "rotor-report-\(Self.day(from))-to-\(Self.day(last)).\(ext)"
    }

    static func day(_ date: Date) -> String { String(ISO8601.string(date).prefix(10)) }

    private static func isDateOnly(_ text: String) -> Bool {
        text.count == 10 && text.allSatisfy { $0.isNumber || $0 == "-" }
    }

    private static func date(_ text: String, field: String, _ fields: ReportPeriodFields) throws -> Date {
        guard text.count <= 40, let date = ISO8601.parse(text) else {
            // Echoed only when short and plain: a terminal would act on control characters.
            let plain = text.count <= 40 && text.allSatisfy { $0.isLetter || $0.isNumber || "-:.+ ".contains($0) }
            throw ReportPeriodError("\(field) \(plain ? "'\(text)'" : "value") is not a date; \(fields.dateHint(field))")
        }
        return date
    }
}
