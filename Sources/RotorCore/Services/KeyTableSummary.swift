import Foundation

/// The customer key table at a glance, as `rotor status` shows a key-table playbook: how many keys are active and
/// in grace, how many the scheduler will rotate soon (due) or should have already (overdue), and the oldest
/// active key against `max_age`. Counts come from indexed queries: a million keys cost what a few do.
public struct KeyTableSummary: Sendable, Codable, Equatable {
    /// Keys customers use now.
    public var active: Int
    /// Rotated keys that keep working until their grace ends.
    public var inGrace: Int
    /// Active keys past `max_age - warn_before` but not yet `max_age`: rotated at the scheduler's next pass.
    public var due: Int
    /// Active keys older than `max_age`.
    public var overdue: Int
    public var oldestKeyID: String?
    public var oldestAgeDays: Double?
    public var maxAgeDays: Double

    enum CodingKeys: String, CodingKey {
        case active, due, overdue
        case inGrace = "in_grace"
        case oldestKeyID = "oldest_key_id"
        case oldestAgeDays = "oldest_age_days"
        case maxAgeDays = "max_age_days"
    }

    /// The summary at `now` under the key-table policy's `maxAge` and `warnBefore`.
    public static func build(_ tx: any APIKeysTransaction, maxAge: Duration, warnBefore: Duration, now: Date) throws -> KeyTableSummary {
        let maxAgeSeconds = maxAge.timeInterval
        let overdue = try tx.countAPIKeys(status: .active, createdBefore: now.addingTimeInterval(-maxAgeSeconds))
        let dueOrOverdue = try tx.countAPIKeys(status: .active,
                                               createdBefore: now.addingTimeInterval(-(maxAgeSeconds - warnBefore.timeInterval)))
        // Oldest first, through the same index the scheduler uses.
        let oldest = try tx.activeAPIKeys(createdBefore: now.addingTimeInterval(86_400), limit: 1).first
        return KeyTableSummary(
            active: try tx.countAPIKeys(status: .active), inGrace: try tx.countAPIKeys(status: .grace),
            due: max(0, dueOrOverdue - overdue), overdue: overdue, oldestKeyID: oldest?.id,
            oldestAgeDays: oldest.map { (now.timeIntervalSince($0.createdAt) / 8640).rounded() / 10 },
            maxAgeDays: maxAgeSeconds / 86400)
    }

    /// `ok`, `due` (some key is rotated at the next pass) or `overdue` (some key is past `max_age`).
    public var state: String { overdue > 0 ? "overdue" : due > 0 ? "due" : "ok" }
}
