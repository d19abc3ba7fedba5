import Foundation

/// Due times and warning times derived from a `ScheduleSpec`. Pure functions of their arguments.
public enum ScheduleMath {
    /// The next due time after `last`: `every` → `last` + interval; cron → the next firing after `last`.
    /// When the schedule has a window, a due time outside it moves to the window's next opening.
    /// Nil when a cron expression never fires within 5 years.
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

    /// The shortest time between two consecutive due times, before windows: the interval for `every`, and for
    /// cron the smallest gap among the next `firings` firings after `reference` (an approximation that suffices
    /// to validate grace periods and warnings). Nil when the expression never fires.
    public static func shortestInterval(of schedule: ScheduleSpec, from reference: Date, firings: Int = 100) -> Duration? {
        switch schedule.rule {
        case .every(let interval):
            return interval
        case .cron(let expression):
            guard var previous = expression.nextFire(after: reference, in: schedule.timeZone) else { return nil }
            var shortest: TimeInterval?
            for _ in 0..<firings {
                guard let next = expression.nextFire(after: previous, in: schedule.timeZone) else { break }
                let gap = next.timeIntervalSince(previous)
                shortest = min(shortest ?? gap, gap)
                previous = next
            }
            // A single firing within the horizon: nothing to compare, so treat the horizon as the interval.
            return .seconds(Int64(shortest ?? 5 * 365 * 86_400))
        }
    }
}
