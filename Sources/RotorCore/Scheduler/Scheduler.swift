import Foundation
import Logging

/// Work on customer keys that the scheduler hands to the key table (which RotorCore does not know).
public protocol KeyScheduling: Sendable {
    /// Rotates keys old enough that they would otherwise pass their maximum age, at most `limit` of them (and no more
    /// than the key table's time budget allows); returns what it did.
    func rotateDueKeys(now: Date, limit: Int) async -> [TickItem]
}

/// One scheduling pass: advance warnings, due rotations (inside their window), compliance-forced
/// rotations, and the customer keys' age limit. Grace ends and resumes are `Maintenance`'s part.
public struct Scheduler: Sendable {
    public struct Configuration: Sendable {
        /// Where links in messages point (rotor.yml `server.public_url`); nil: messages carry codes only.
        public var publicURL: String?
        /// rotor.yml's `alerts:`, for the alert about a due rotation blocked by another one.
        public var alerts: AlertsConfig
        public init(publicURL: String? = nil, alerts: AlertsConfig = AlertsConfig()) {
            self.publicURL = publicURL
            self.alerts = alerts
        }
    }

    let runner: RotationRunner
    let store: any Store
    let clock: any RotorClock
    let playbooks: [Playbook]
    let replyTokens: ReplyTokens
    let keys: (any KeyScheduling)?
    let configuration: Configuration
    let logger: Logger
    /// Test seam: called inside a pass's bookkeeping transaction, right after the secret's row is locked, with
    /// the secret's name. Lets a test start a skip at the worst moment and see it wait for the pass.
    public var whileLocked: (@Sendable (String) -> Void)?

    public init(runner: RotationRunner, store: any Store, clock: any RotorClock, playbooks: [Playbook], replyTokens: ReplyTokens,
                keys: (any KeyScheduling)?, configuration: Configuration, logger: Logger) {
        self.runner = runner
        self.store = store
        self.clock = clock
        self.playbooks = playbooks
        self.replyTokens = replyTokens
        self.keys = keys
        self.configuration = configuration
        self.logger = logger
    }

    public func tick() async -> [TickItem] {
        var items: [TickItem] = []
        for playbook in playbooks where !playbook.isKeyTable && playbook.schedule != nil {
            do {
                items += try await pass(playbook)
            } catch {
                items.append(TickItem(subject: playbook.secret, action: "error", message: "\(error)"))
            }
        }
        // No cap on the number of keys: the key table stops at its own time budget and leaves the rest to the next pass.
        if let keys { items += await keys.rotateDueKeys(now: clock.now, limit: .max) }
        return items
    }

    /// The plan for one secret: when it is due, and which warnings are due now.
    public struct Plan: Sendable {
        public var due: Date
        public var deadline: Date
        /// The schedule (or a skip) would have gone past the maximum age: the due time is the limit itself.
        public var clamped: Bool
        public var warnings: [(key: String, at: Date)]
    }

    /// The plan of a cycle that started at `cycleStart`: due at `nextRotation` (the record's date, which a skip may
    /// have moved) or at the schedule's next firing, and never later than `max_age` after `cycleStart`. A cron
    /// whose next firing is beyond the search horizon still rotates at `max_age`. Nil without a schedule.
    public static func plan(_ playbook: Playbook, cycleStart: Date, nextRotation: Date?) -> Plan? {
        guard let schedule = playbook.schedule else { return nil }
        let deadline = cycleStart.addingTimeInterval(playbook.policy.maxAge.timeInterval)
        let scheduled = { ScheduleMath.nextRotation(after: cycleStart, schedule: schedule) }
        let natural = nextRotation ?? scheduled()
        let due = min(natural ?? deadline, deadline)
        // Clamped also when a record holds the limit itself because the schedule had nothing sooner.
        let clamped = natural.map { $0 > deadline || ($0 == deadline && nextRotation != nil && (scheduled() ?? .distantFuture) > deadline) } ?? true
        let stamp = Int(due.timeIntervalSince1970)
        return Plan(due: due, deadline: deadline, clamped: clamped,
                    warnings: ScheduleMath.warnings(before: due, schedule: schedule).map { (key: "\($0.key)@\(stamp)", at: $0.at) })
    }
}
