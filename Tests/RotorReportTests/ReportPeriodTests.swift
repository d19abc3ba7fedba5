import Foundation
import RotorCore
import RotorReport
import Testing

@Suite("report period")
struct ReportPeriodTests {
    let now = ISO8601.parse("2026-04-15T00:00:00Z")!

    @Test func aDateAloneAsToMeansThroughThatDay() throws {
        let period = try ReportPeriod.parse(from: "2026-01-01", to: "2026-03-31", now: now)
        #expect(period.from == ISO8601.parse("2026-01-01T00:00:00Z") && period.to == ISO8601.parse("2026-04-01T00:00:00Z"))
        #expect(period.fileName(extension: "html") == "rotor-report-2026-01-01-to-2026-03-31.html")
        let exact = try ReportPeriod.parse(from: "2026-01-01T00:00:00Z", to: "2026-02-01T00:00:00Z", now: now)
        #expect(exact.to == ISO8601.parse("2026-02-01T00:00:00Z"))
    }

    /// The command line names its options; the dashboard's form names its fields and takes days, so its messages
    /// speak of days and never of `--from`/`--to`.
    @Test func eachSurfaceNamesItsOwnFields() {
        let cases: [(String, String, cli: String, dashboard: String)] = [
            ("yesterday", "2026-03-31", "--from 'yesterday' is not a date; use ISO 8601, e.g. --from 2026-01-01",
             "From 'yesterday' is not a date; pick a day in the From field (YYYY-MM-DD, e.g. 2026-01-01)"),
            ("2026-01-01", "31/03/2026", "--to value is not a date; use ISO 8601", "To value is not a date; pick a day in the To field"),
            ("2026-03-01", "2026-01-31", "--from (2026-03-01T00:00:00Z) must be before --to (2026-02-01T00:00:00Z)",
             "From (2026-03-01) is after To (2026-01-31); pick a From day on or before the To day"),
            ("2027-01-01", "2027-02-01", "--from (2027-01-01T00:00:00Z) is in the future; a report covers what already happened",
             "From (2027-01-01) is in the future; a report covers what already happened: pick a From day up to today"),
        ]
        func message(_ from: String, _ to: String, _ fields: ReportPeriodFields) -> String {
            do {
                _ = try ReportPeriod.parse(from: from, to: to, now: now, fields: fields)
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        for (from, to, cli, dashboard) in cases {
            #expect(message(from, to, .commandLine).contains(cli))
            #expect(message(from, to, .dashboard).contains(dashboard))
            #expect(!message(from, to, .dashboard).contains("--"))
        }
        #expect(message("2026-03-31", "2026-03-31", .dashboard) == "accepted", "one day: From and To the same day")
    }

    @Test func badDatesAndRangesSayWhatToDo() {
        let cases: [(String, String, String)] = [
            ("yesterday", "2026-03-31", "--from 'yesterday' is not a date"),
            ("2026-01-01", "2026-13-45", "--to '2026-13-45' is not a date"),
            ("2026-03-01", "2026-01-01", "must be before --to"),
            ("2027-01-01", "2027-02-01", "is in the future"),
            ("\u{1B}[31m", "2026-01-01", "--from value is not a date"),
            (String(repeating: "9", count: 10_000), "2026-01-01", "--from value is not a date"),
        ]
        for (from, to, message) in cases {
            do {
                _ = try ReportPeriod.parse(from: from, to: to, now: now)
                Issue.record("\(from)…\(to) accepted")
            } catch let error as ReportPeriodError {
                #expect(error.description.contains(message), "\(error)")
                #expect(error.description.contains("e.g.") || message.contains("future"), "\(error)")
                #expect(!error.description.contains("\u{1B}"))
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
