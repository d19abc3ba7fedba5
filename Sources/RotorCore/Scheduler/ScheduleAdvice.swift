import Foundation

/// Advice about a valid playbook's schedule that is not an error: `rotor validate` prints it and still succeeds.
public enum ScheduleAdvice {
    /// A warning when the schedule fires less often than `policy.max_age`: then the age limit, not the schedule,
    /// decides when the secret rotates (as a `compliance` rotation, outside any window). Nil when it fits.
    /// For cron the gaps are measured over the next firings from `now`: advice, so it may depend on the date.
    public static func rarerThanMaxAge(_ playbook: Playbook, from now: Date, firings: Int = 60) -> String? {
        guard let schedule = playbook.schedule else { return nil }
        let maxAge = playbook.policy.maxAge
        let limit = DurationText.format(maxAge)
        switch schedule.rule {
        case .every(let interval):
            guard interval > maxAge else { return nil }
            return "schedule every \(DurationText.format(interval)) is rarer than max_age \(limit): every rotation "
                + "will be forced by the age limit; shorten the schedule or raise max_age"
        case .cron(let expression):
            var previous = now
            for _ in 0..<firings {
                guard let next = expression.nextFire(after: previous, in: schedule.timeZone) else {
                    return "cron \"\(expression)\" does not fire within 5 years of \(ISO8601.string(previous)), longer than "
                        + "max_age \(limit): the age limit will force each rotation; choose a cron that fires more often"
                }
                if next.timeIntervalSince(previous) > maxAge.timeInterval {
                    return "cron \"\(expression)\" goes \(DurationText.format(.seconds(Int64(next.timeIntervalSince(previous))))) "
                        + "without firing (after \(ISO8601.string(previous))), longer than max_age \(limit): "
                        + "the age limit will force that rotation; choose a cron that fires more often"
                }
                previous = next
            }
            return nil
        }
    }
}
