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

    public var rule: Rule
    /// How long before a rotation owners are warned, one warning per entry, longest first.
    public var warnBefore: [Duration]
    /// Rotations only start inside this daily window; nil means any time.
    public var window: TimeWindow?
    /// The zone of the window and the cron expression.
    public var timeZone: TimeZone

    public init(rule: Rule, warnBefore: [Duration] = [.seconds(7 * 86_400)], window: TimeWindow? = nil,
                timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.rule = rule
        self.warnBefore = warnBefore
        self.window = window
        self.timeZone = timeZone
    }
}
