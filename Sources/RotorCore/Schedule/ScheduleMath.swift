import Foundation

/// Due times and warning times derived from a `ScheduleSpec`. Pure functions of their arguments.
public enum ScheduleMath {
    /// The next due time after `last`: `every` → `last` + interval; cron → the next firing after `last`.
    /// When the schedule has a window, a due time outside it moves to the window's next opening.
    /// Nil when a cron expression does not fire within 5 years (the scheduler then holds to `max_age`).
    public static func nextRotation(after last: Date, schedule: ScheduleSpec) -> Date? {
        let due: Date
        switch schedule.rule {
        case .every(let interval):
            due = last.addingTimeInterval(interval.timeInterval)
        case .cron(let expression):
            guard let fire = expression.nextFire(after: last, in: schedule.timeZone) else { return nil }
            due = fire
        }
        return schedule.window?.nextOpening(atOrAfter: due, in: schedule.timeZone) ?? due
    }

    /// The warnings for a rotation due at `due`, earliest first, each with a key that is stable per cycle
    /// (`warn-7d`, `warn-36h`) so a sender can record which ones went out.
    public static func warnings(before due: Date, schedule: ScheduleSpec) -> [(key: String, at: Date)] {
        schedule.warnBefore
            .map { (key: "warn-" + DurationText.format($0), at: due.addingTimeInterval(-$0.timeInterval)) }
            .sorted { $0.at < $1.at }
    }

    /// A fixed instant to measure schedules from when the answer must not depend on today's date (validation).
    public static let reference = Date(timeIntervalSince1970: 978_307_200)   // 2001-01-01T00:00:00Z

    /// The shortest time between two consecutive due times, before windows: the interval for `every`, and for
    /// cron the smallest gap among the next `firings` firings after `reference` (an approximation that suffices
    /// to validate grace periods and warnings). Rare crons are followed across 5-year search horizons, up to 30
    /// years (every valid day falls on every weekday within 28). Nil when the expression never fires.
    public static func shortestInterval(of schedule: ScheduleSpec, from reference: Date, firings: Int = 100) -> Duration? {
        switch schedule.rule {
        case .every(let interval):
            return interval
        case .cron(let expression):
            let end = reference.addingTimeInterval(30 * 366 * 86_400)
            func next(after date: Date) -> Date? {
                var from = date
                while from < end {
                    if let fire = expression.nextFire(after: from, in: schedule.timeZone) { return fire }
                    from = from.addingTimeInterval(5 * 365 * 86_400)
                }
                return nil
            }
            guard var previous = next(after: reference) else { return nil }
            var shortest: TimeInterval?
            for _ in 0..<firings {
                guard let following = next(after: previous) else { break }
                let gap = following.timeIntervalSince(previous)
                shortest = min(shortest ?? gap, gap)
                previous = following
            }
            // A single firing within the horizon: nothing to compare, so treat the horizon as the interval.
            return .seconds(Int64(shortest ?? 5 * 365 * 86_400))
        }
    }
}
