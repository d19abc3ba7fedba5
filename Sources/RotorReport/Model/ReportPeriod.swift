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

    /// The period from two command-line values: a date alone as `--to` means through the end of that day (a report
    /// "to 2026-03-31" covers the 31st). Throws ``ReportPeriodError`` with what to do.
    public static func parse(from fromText: String, to toText: String, now: Date) throws -> ReportPeriod {
        let from = try date(fromText, option: "--from")
        var to = try date(toText, option: "--to")
        if isDateOnly(toText) { to = to.addingTimeInterval(86400) }
        let period = ReportPeriod(from: from, to: to)
        try period.validate(now: now)
        return period
    }

    /// Refuses an empty, reversed or future period.
    public func validate(now: Date) throws {
        guard from < to else {
            throw ReportPeriodError("--from (\(ISO8601.string(from))) must be before --to (\(ISO8601.string(to))); "
                                    + "e.g. --from 2026-01-01 --to 2026-03-31")
        }
        guard from <= now else {
            throw ReportPeriodError("--from (\(ISO8601.string(from))) is in the future; a report covers what already happened")
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

    private static func date(_ text: String, option: String) throws -> Date {
        guard text.count <= 40, let date = ISO8601.parse(text) else {
            // Echoed only when short and plain: a terminal would act on control characters.
            let plain = text.count <= 40 && text.allSatisfy { $0.isLetter || $0.isNumber || "-:.+ ".contains($0) }
            throw ReportPeriodError("\(option) \(plain ? "'\(text)'" : "value") is not a date; use ISO 8601, "
                                    + "e.g. \(option) 2026-01-01 or \(option) 2026-01-01T00:00:00Z")
        }
        return date
    }
}
