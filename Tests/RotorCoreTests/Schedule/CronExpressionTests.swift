import Foundation
import Testing
import RotorCore

/// One next-fire expectation, derived by hand (reasoning in `why`).
struct CronCase: CustomTestStringConvertible, Sendable {
    let expression: String
    let after: String
    let expected: String?
    let zone: String
    let why: String

    init(_ expression: String, after: String, _ expected: String?, zone: String = "UTC", _ why: String) {
        self.expression = expression
        self.after = after
        self.expected = expected
        self.zone = zone
        self.why = why
    }

    var testDescription: String { "\"\(expression)\" after \(after) (\(zone))" }
}

@Suite("Cron expressions")
struct CronExpressionTests {
    // 2026-01-01 is a Thursday; 2026 and 2027 are common years, 2028 and 2032 leap years.
    static let cases: [CronCase] = [
        CronCase("* * * * *", after: "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z",
                 "every minute; strictly after, so an instant on the minute moves to the next one"),
        CronCase("* * * * *", after: "2026-01-01T00:00:30Z", "2026-01-01T00:01:00Z",
                 "seconds are dropped: the next whole minute"),
        CronCase("0 * * * *", after: "2026-01-01T10:00:00Z", "2026-01-01T11:00:00Z",
                 "minute 0 of every hour; 10:00 itself is not after 10:00"),
        CronCase("30 2 * * *", after: "2026-01-01T03:00:00Z", "2026-01-02T02:30:00Z",
                 "02:30 already passed today, so tomorrow"),
        CronCase("0 3 * * 1", after: "2026-01-01T00:00:00Z", "2026-01-05T03:00:00Z",
                 "Mondays 03:00; Thu Jan 1 → Mon Jan 5"),
        CronCase("*/15 * * * *", after: "2026-01-01T10:07:00Z", "2026-01-01T10:15:00Z",
                 "minutes 0,15,30,45; after :07 comes :15"),
        CronCase("*/15 * * * *", after: "2026-01-01T10:45:00Z", "2026-01-01T11:00:00Z",
                 "after :45 the minutes roll over into the next hour"),
        CronCase("5-10/2 * * * *", after: "2026-01-01T10:07:00Z", "2026-01-01T10:09:00Z",
                 "range with step = 5,7,9; after :07 comes :09"),
        CronCase("5-10/2 * * * *", after: "2026-01-01T10:09:00Z", "2026-01-01T11:05:00Z",
                 "9 is the last of 5,7,9, so :05 of the next hour"),
        CronCase("0 9-17 * * MON-FRI", after: "2026-01-02T17:30:00Z", "2026-01-05T09:00:00Z",
                 "office hours; Fri 17:30 is past the last slot, weekend skipped, Mon 09:00"),
        CronCase("0 0 1,15 * *", after: "2026-01-15T00:00:00Z", "2026-02-01T00:00:00Z",
                 "list of days; the 15th itself is not after, so Feb 1"),
        CronCase("0 0 31 * *", after: "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z",
                 "the 31st: February has none, so March 31"),
        CronCase("0 0 29 2 *", after: "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z",
                 "Feb 29 exists only in leap years: 2028"),
        CronCase("0 0 29 2 *", after: "2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z",
                 "the next leap day after 2028's is 2032's"),
        CronCase("0 0 30 2 *", after: "2026-01-01T00:00:00Z", nil,
                 "February never has a 30th: never fires"),
        CronCase("0 0 31 4,6,9,11 *", after: "2026-01-01T00:00:00Z", nil,
                 "none of the 30-day months has a 31st: never fires"),
        CronCase("@yearly", after: "2026-06-01T00:00:00Z", "2027-01-01T00:00:00Z",
                 "@yearly = 0 0 1 1 *: next Jan 1"),
        CronCase("@annually", after: "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
                 "same as @yearly; Jan 1 00:00 itself is not after"),
        CronCase("@monthly", after: "2026-01-31T12:00:00Z", "2026-02-01T00:00:00Z",
                 "@monthly = 0 0 1 * *: month rollover"),
        CronCase("@weekly", after: "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z",
                 "@weekly = 0 0 * * 0: Thu Jan 1 → Sun Jan 4"),
        CronCase("@daily", after: "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z",
                 "@daily = 0 0 * * *: year rollover one second later"),
        CronCase("@midnight", after: "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                 "@midnight = @daily"),
        CronCase("@hourly", after: "2026-01-01T23:30:00Z", "2026-01-02T00:00:00Z",
                 "@hourly = 0 * * * *: day rollover"),
        CronCase("0 12 * JAN,jul *", after: "2026-01-31T12:00:00Z", "2026-07-01T12:00:00Z",
                 "month names in any case; January is over, so July 1"),
        CronCase("0 0 * * 7", after: "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z",
                 "7 is Sunday, like 0"),
        CronCase("0 0 * * sun", after: "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z",
                 "weekday name, lower case"),
        CronCase("0 0 13 * 5", after: "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                 "both day fields restricted: the 13th OR a Friday; Fri Jan 2 comes first"),
        CronCase("0 0 13 * 5", after: "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z",
                 "OR rule: Tue Jan 13 matches by day-of-month though it is not a Friday (next Fri is Jan 16)"),
        CronCase("0 0 13 * *", after: "2026-01-01T00:00:00Z", "2026-01-13T00:00:00Z",
                 "day-of-week is *, so only the 13th"),
        CronCase("0 0 */10 * 1", after: "2026-01-01T00:00:00Z", "2026-05-11T00:00:00Z",
                 "*/10 starts with *, so (as in cronie) days 1,11,21,31 AND Monday; first such day is Mon May 11"),
        CronCase("0 0 1 */3 *", after: "2026-02-01T00:00:00Z", "2026-04-01T00:00:00Z",
                 "months 1,4,7,10: after Feb 1 comes Apr 1"),
        CronCase("0 0 * * *", after: "2026-12-31T00:00:00Z", "2027-01-01T00:00:00Z",
                 "midnight daily across the year end"),
        CronCase("59 23 31 12 *", after: "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z",
                 "the last minute of the year, one year on"),
        CronCase("0,30 8-9 * * *", after: "2026-01-01T09:30:00Z", "2026-01-02T08:00:00Z",
                 "08:00 08:30 09:00 09:30; after the last, tomorrow 08:00"),
        CronCase("0 0 29 2 1", after: "2026-02-02T00:00:00Z", "2026-02-09T00:00:00Z",
                 "Feb 29 OR Monday, in February only: no Feb 29 in 2026, next Monday Feb 9"),
        CronCase("0 9 * * *", after: "2026-01-01T00:00:00Z", "2026-01-01T03:30:00Z", zone: "Asia/Kolkata",
                 "09:00 at +05:30 is 03:30 UTC"),
        // Europe/Berlin, 2026-03-29: clocks jump from 02:00 CET (+1) to 03:00 CEST (+2).
        CronCase("30 2 * * *", after: "2026-03-28T01:30:00Z", "2026-03-29T01:00:00Z", zone: "Europe/Berlin",
                 "02:30 does not exist on Mar 29; it fires at the first valid instant after it, 03:00 CEST = 01:00Z"),
        CronCase("30 2 * * *", after: "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z", zone: "Europe/Berlin",
                 "the day after, 02:30 CEST = 00:30Z, once"),
        // Europe/Berlin, 2026-10-25: clocks fall back from 03:00 CEST (+2) to 02:00 CET (+1); 02:00-02:59 happens twice.
        CronCase("30 2 * * *", after: "2026-10-24T00:30:00Z", "2026-10-25T00:30:00Z", zone: "Europe/Berlin",
                 "02:30 happens twice on Oct 25; it fires at the first, 02:30 CEST = 00:30Z"),
        CronCase("30 2 * * *", after: "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z", zone: "Europe/Berlin",
                 "not again at the repeated 02:30 CET (01:30Z); next is Oct 26 02:30 CET = 01:30Z"),
        CronCase("0 * * * *", after: "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z", zone: "Europe/Berlin",
                 "hourly: 02:00 CEST (00:00Z) fired; the repeated 02:00 CET is skipped; next 03:00 CET = 02:00Z"),
    ]

    @Test("next fire time matches the hand-derived one", arguments: cases)
    func nextFireMatchesHandDerivedTime(_ example: CronCase) throws {
        let expression = try CronExpression(parsing: example.expression)
        let next = expression.nextFire(after: utc(example.after), in: zone(example.zone))
        #expect(next == example.expected.map(utc), "\(example.why)")
    }

    @Test func everyMinuteOfADayFiresAtEachMinuteOnce() throws {
        let expression = try CronExpression(parsing: "* * * * *")
        var instant = utc("2026-01-01T00:00:00Z")
        for _ in 0..<1_440 {
            let next = try #require(expression.nextFire(after: instant, in: utcZone))
            #expect(next.timeIntervalSince(instant) == 60)
            instant = next
        }
        #expect(instant == utc("2026-01-02T00:00:00Z"))
    }

    @Test func neverFiringExpressionAnswersWithoutSearching() throws {
        let expression = try CronExpression(parsing: "0 0 30 2 *")
        let (next, work) = WorkCounter.measure { expression.nextFire(after: utc("2026-01-01T00:00:00Z"), in: berlin) }
        #expect(next == nil)
        // February 30 can never match: answered without searching five years of calendar.
        #expect(work[.cronSearchSteps] == 0)
    }

    @Test func rareDateIsFoundByJumpingNotByScanningMinutes() throws {
        // A leap day at one minute: a minute-by-minute scan would take ~1.1M steps; field jumps take a few hundred.
        let expression = try CronExpression(parsing: "59 23 29 2 *")
        for _ in 0..<100 {
            let (next, work) = WorkCounter.measure { expression.nextFire(after: utc("2028-03-01T00:00:00Z"), in: berlin) }
            #expect(next == utc("2032-02-29T22:59:00Z"))
            #expect(work[.cronSearchSteps] > 0)
            #expect(work[.cronSearchSteps] < 1_000, "searched \(work[.cronSearchSteps]) steps")
        }
    }

    @Test func macrosEqualTheirExpansionAndKeepTheirSpelling() throws {
        let daily = try CronExpression(parsing: "@daily")
        #expect(daily == (try CronExpression(parsing: "0 0 * * *")))
        #expect(daily.description == "@daily")
        #expect((try CronExpression(parsing: "0 0 * * 7")) == (try CronExpression(parsing: "0 0 * * SUN")))
        #expect((try CronExpression(parsing: "0 0 * * 1")) != (try CronExpression(parsing: "0 0 * * 2")))
    }

    /// Each bad expression, with the field and a fragment of the reason.
    static let badExpressions: [(String, String?, String)] = [
        ("60 * * * *", "minute", "60 is out of range (allowed 0-59)"),
        ("* 24 * * *", "hour", "24 is out of range (allowed 0-23)"),
        ("* * 0 * *", "day-of-month", "0 is out of range (allowed 1-31)"),
        ("* * 32 * *", "day-of-month", "32 is out of range (allowed 1-31)"),
        ("* * * 13 *", "month", "13 is out of range (allowed 1-12 or JAN-DEC)"),
        ("* * * * 8", "day-of-week", "8 is out of range (allowed 0-7 (0 and 7 are Sunday) or SUN-SAT)"),
        ("5-2 * * * *", "minute", "range \"5-2\" runs backwards"),
        ("*/0 * * * *", "minute", "step \"0\" must be a whole number of 1 or more"),
        ("*/x * * * *", "minute", "step \"x\" must be"),
        ("5/15 * * * *", "minute", "a step needs a range: write 5-59/15 or */15"),
        ("1,,2 * * * *", "minute", "empty item in list"),
        ("* * * FOO *", "month", "\"FOO\" is not a valid value"),
        ("* * * * MON-", "day-of-week", "a value is missing"),
        ("* * L * *", "day-of-month", "\"L\" is not supported"),
        ("* * * * 1#2", "day-of-week", "\"1#2\" is not supported"),
        ("* * ? * *", "day-of-month", "\"?\" is not supported"),
        ("JAN * * * *", "minute", "\"JAN\" is not a valid value (allowed 0-59)"),
        ("* * * *", nil, "expected 5 fields (minute hour day-of-month month day-of-week), found 4"),
        ("0 * * * * *", nil, "found 6; seconds and years are not supported"),
        ("", nil, "found 0"),
        ("@reboot", nil, "unknown macro \"@reboot\""),
    ]

    @Test("bad expressions name the field and the allowed values", arguments: badExpressions)
    func badExpressionIsRefusedWithItsField(_ text: String, _ field: String?, _ fragment: String) {
        #expect {
            _ = try CronExpression(parsing: text)
        } throws: { error in
            guard let error = error as? CronError else { return false }
            return error.field == field && error.reason.contains(fragment) && error.description.contains("\"\(text)\"")
        }
    }
}
