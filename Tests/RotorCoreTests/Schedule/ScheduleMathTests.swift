import Foundation
import Testing
import RotorCore

@Suite("Schedule math")
struct ScheduleMathTests {
    private static let day: Duration = .seconds(86_400)

    @Test func everyAddsTheIntervalWhenItLandsInsideTheWindow() throws {
        // Last at 02:30 CET on Mar 1 (01:30Z); 30 × 24 h later is 01:30Z on Mar 31 = 03:30 CEST, inside 02:00-04:00.
        let schedule = ScheduleSpec(rule: .every(Self.day * 30), window: try TimeWindow(parsing: "02:00-04:00"), timeZone: berlin)
        #expect(ScheduleMath.nextRotation(after: utc("2026-03-01T01:30:00Z"), schedule: schedule) == utc("2026-03-31T01:30:00Z"))
    }

    @Test func everyLandingOutsideTheWindowWaitsForTheNextOpeningInTheZone() throws {
        // Last at 03:30 CET (02:30Z); +30 d = 02:30Z Mar 31 = 04:30 CEST, just outside: next opening Apr 1 02:00 CEST = 00:00Z.
        let schedule = ScheduleSpec(rule: .every(Self.day * 30), window: try TimeWindow(parsing: "02:00-04:00"), timeZone: berlin)
        #expect(ScheduleMath.nextRotation(after: utc("2026-03-01T02:30:00Z"), schedule: schedule) == utc("2026-04-01T00:00:00Z"))
    }

    @Test func cronFiringOutsideTheWindowIsPushedIntoIt() throws {
        let schedule = ScheduleSpec(rule: .cron(try CronExpression(parsing: "0 12 * * *")), window: try TimeWindow(parsing: "02:00-04:00"))
        #expect(ScheduleMath.nextRotation(after: utc("2026-01-01T00:00:00Z"), schedule: schedule) == utc("2026-01-02T02:00:00Z"))
    }

    @Test func cronWithoutWindowIsItsNextFiring() throws {
        let schedule = ScheduleSpec(rule: .cron(try CronExpression(parsing: "0 3 * * 1")), timeZone: berlin)
        // Monday Jan 5 03:00 CET = 02:00Z.
        #expect(ScheduleMath.nextRotation(after: utc("2026-01-01T00:00:00Z"), schedule: schedule) == utc("2026-01-05T02:00:00Z"))
    }

    @Test func cronThatNeverFiresHasNoNextRotation() throws {
        let schedule = ScheduleSpec(rule: .cron(try CronExpression(parsing: "0 0 30 2 *")))
        #expect(ScheduleMath.nextRotation(after: utc("2026-01-01T00:00:00Z"), schedule: schedule) == nil)
    }

    @Test func warningsComeEarliestFirstWithStableKeys() {
        let schedule = ScheduleSpec(rule: .every(Self.day * 30), warnBefore: [Self.day, Self.day * 7, .seconds(36 * 3_600)])
        let warnings = ScheduleMath.warnings(before: utc("2026-04-01T00:00:00Z"), schedule: schedule)
        #expect(warnings.map(\.key) == ["warn-7d", "warn-36h", "warn-1d"])
        #expect(warnings.map(\.at) == [utc("2026-03-25T00:00:00Z"), utc("2026-03-30T12:00:00Z"), utc("2026-03-31T00:00:00Z")])
    }

    @Test func shortestIntervalOfACronIsItsSmallestGap() throws {
        // Mondays and Thursdays: gaps of 3 and 4 days alternate.
        let schedule = ScheduleSpec(rule: .cron(try CronExpression(parsing: "0 3 * * 1,4")))
        #expect(ScheduleMath.shortestInterval(of: schedule, from: utc("2026-01-01T00:00:00Z")) == Self.day * 3)
        #expect(ScheduleMath.shortestInterval(of: ScheduleSpec(rule: .every(Self.day * 90)), from: Date()) == Self.day * 90)
    }

    @Test func aYearOfDailyRotationsInBerlinKeepsTheWallClockAcrossBothDSTChanges() throws {
        // A daily 02:30 cron with a 02:00-04:00 window: one rotation per day, always inside the window, 365 in 2026.
        let schedule = ScheduleSpec(rule: .cron(try CronExpression(parsing: "30 2 * * *")),
                                    window: try TimeWindow(parsing: "02:00-04:00"), timeZone: berlin)
        var last = utc("2025-12-31T12:00:00Z")
        var count = 0
        while let next = ScheduleMath.nextRotation(after: last, schedule: schedule), next < utc("2027-01-01T00:00:00Z") {
            #expect(schedule.window?.contains(next, in: berlin) == true)
            last = next
            count += 1
        }
        #expect(count == 365)
    }
}
