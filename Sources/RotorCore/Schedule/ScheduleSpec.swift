import Foundation

/// When a secret rotates: a fixed interval or a cron expression, advance warnings, an optional window and a zone.
public struct ScheduleSpec: Sendable, Equatable {
    /// What makes a rotation due.
    public enum Rule: Sendable, Equatable {
        /// Due this long after the last rotation (or import).
        case every(Duration)
        /// Due at the next firing of the expression after the last rotation.
        case cron(CronExpression)
    }

    /// What makes a rotation due.
    public var rule: Rule
    /// How long before a rotation owners are warned, one warning per entry, longest first. A playbook that
    /// does not set `warn_before` gets 7d when its schedule's interval is longer than that, and none otherwise.
    public var warnBefore: [Duration]
    /// Rotations only start inside this daily window; nil means any time.
    public var window: TimeWindow?
    /// The zone of the window and the cron expression.
    public var timeZone: TimeZone

    /// UTC, the zone of schedules that name none. (The time zone database always has it.)
    public static let utc = TimeZone(identifier: "UTC")!

    /// A schedule; by default warned 7 days ahead, without a window, in UTC.
    public init(rule: Rule, warnBefore: [Duration] = [.seconds(7 * 86_400)], window: TimeWindow? = nil,
                timeZone: TimeZone = ScheduleSpec.utc) {
        self.rule = rule
        self.warnBefore = warnBefore
        self.window = window
        self.timeZone = timeZone
    }
}
