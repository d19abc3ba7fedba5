import Foundation
import RotorCore
import Testing

/// Whether a schedule is valid is decided by what is written, never by today's date; and schedules that fire less
/// often than max_age are pointed out.
@Suite("Cron validity and schedule advice")
struct CronValidityTests {
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func parse(_ body: String, now: Date = Date()) -> (Playbook?, [Diagnostic]) {
        let text = """
            secret: s
            source: {provider: random}
            targets: [{provider: file, path: .env, key: K}]
            \(body)
            """
        return PlaybookParser(catalog: TestCatalog.catalog, now: now).parse(file: "s.yml", text: text)
    }

    @Test(arguments: ["*/+5 * * * *", "+5 * * * *", "0-30/+5 * * * *", "*/-5 * * * *"])
    func aSignedNumberIsRefusedInAStepAsInAValue(_ text: String) {
        #expect(throws: CronError.self) { try CronExpression(parsing: text) }
    }

    @Test(arguments: ["2026-01-01T00:00:00Z", "2029-03-02T00:00:00Z", "2031-06-15T12:00:00Z"])
    func aRareCronIsValidWhateverTheDate(_ today: String) {
        let (playbook, problems) = Self.parse("schedule: {cron: \"49-58/8 1 1 3 */4\"}\npolicy: {max_age: 90d}\ngrace: 5m", now: Self.utc(today))
        #expect(playbook != nil && problems.isEmpty, "\(problems)")
    }

    @Test(arguments: ["2026-01-01T00:00:00Z", "2029-03-02T00:00:00Z"])
    func aCronThatCanNeverFireIsRefusedWhateverTheDate(_ today: String) {
        for cron in ["0 0 30 2 *", "0 0 31 4,6,9,11 *"] {
            let (playbook, problems) = Self.parse("schedule: {cron: \"\(cron)\"}", now: Self.utc(today))
            #expect(playbook == nil)
            #expect(problems.map(\.message) == ["cron expression \"\(cron)\" never fires"])
        }
        // A leap day fires (every four years).
        #expect(Self.parse("schedule: {cron: \"0 0 29 2 *\"}").1.isEmpty)
    }

    @Test func maxAttemptsPerDayAndStepTimeoutAreReadAndChecked() {
        let (defaults, _) = Self.parse("schedule: {every: 30d}")
        #expect(defaults?.policy.maxAttemptsPerDay == 3)
        #expect(defaults?.policy.stepTimeout == .seconds(1_800))
        let (set, problems) = Self.parse("schedule: {every: 30d}\npolicy: {max_attempts_per_day: 5, step_timeout: 10m}")
        #expect(problems.isEmpty, "\(problems)")
        #expect(set?.policy.maxAttemptsPerDay == 5)
        #expect(set?.policy.stepTimeout == .seconds(600))
        let (refused, errors) = Self.parse("schedule: {every: 30d}\npolicy: {max_attempts_per_day: 0}")
        #expect(refused == nil)
        #expect(errors.first?.message == "'max_attempts_per_day' must be 1 or more, got 0")
    }

    @Test func aScheduleRarerThanMaxAgeIsPointedOut() throws {
        let now = Self.utc("2029-03-02T00:00:00Z")
        let rare = try #require(Self.parse("schedule: {every: 120d}\npolicy: {max_age: 90d}").0)
        #expect(ScheduleAdvice.rarerThanMaxAge(rare, from: now)?.contains("rarer than max_age 90d") == true)
        let fine = try #require(Self.parse("schedule: {every: 30d}\npolicy: {max_age: 90d}").0)
        #expect(ScheduleAdvice.rarerThanMaxAge(fine, from: now) == nil)
        let yearly = try #require(Self.parse("schedule: {cron: \"0 3 1 1 *\", warn_before: []}\npolicy: {max_age: 90d}").0)
        #expect(ScheduleAdvice.rarerThanMaxAge(yearly, from: now)?.contains("longer than max_age 90d") == true)
        let far = try #require(Self.parse("schedule: {cron: \"49-58/8 1 1 3 */4\"}\npolicy: {max_age: 90d}\ngrace: 5m").0)
        #expect(ScheduleAdvice.rarerThanMaxAge(far, from: now)?.contains("does not fire within 5 years") == true)
    }
}

extension CronValidityTests {
    @Test func theGraceCheckOfARareCronDoesNotDependOnTheDate() {
        // Fires at 01:49 and 01:57 on the days it fires at all: an 8-minute gap, whether or not such a day is near.
        for today in ["2026-01-01T00:00:00Z", "2029-03-02T00:00:00Z"] {
            let (_, problems) = Self.parse("schedule: {cron: \"49-58/8 1 1 3 */4\"}", now: Self.utc(today))
            #expect(problems.map(\.message).contains { $0.contains("shortest gap between firings 8m") }, "\(today): \(problems)")
        }
    }
}
