import Foundation

/// One secret as `rotor status` shows it. Encodes to the documented JSON fields.
public struct SecretStatus: Sendable, Codable, Equatable {
    public var secret: String
    /// `ok`, `rotating`, `stuck`, `grace`, `failed`, `rolled_back`, `not_imported`, `invalid`, `orphaned`; for the
    /// key-table playbook `ok`, `due` or `overdue` (see ``KeyTableSummary/state``).
    public var state: String
    public var current: SecretVersionSummary?
    public var previous: SecretVersionSummary?
    public var rotation: RotationSummary?
    public var graceEndsAt: Date?
    public var nextRotationAt: Date?
    /// Failed rotations in a row since the last one that went live (0: none).
    public var attempt: Int
    /// While backing off after failures: the scheduler's next try (a person's `rotor rotate` need not wait).
    public var retryAt: Date?
    /// The active rotation has made no progress since then, longer than the playbook's `step_timeout`.
    public var stuckSince: Date?
    public var playbook: String?
    public var playbookValid: Bool
    public var problems: [String]
    /// For the key-table playbook: its customer keys at a glance (it has no value of its own to import).
    public var keys: KeyTableSummary?
    /// For a staged playbook: the stage the active rotation is in, and whether it waits for approval.
    public var stage: StageStatus?

    enum CodingKeys: String, CodingKey {
        case secret, state, current, previous, rotation, playbook, problems, keys, stage
        case graceEndsAt = "grace_ends_at"
        case nextRotationAt = "next_rotation_at"
        case attempt
        case retryAt = "retry_at"
        case stuckSince = "stuck_since"
        case playbookValid = "playbook_valid"
    }

    static func overallState(current: SecretVersionRecord?, active: RotationRecord?, last: RotationRecord?,
                             invalid: Bool, hasPlaybook: Bool, stuck: Bool = false) -> String {
        if invalid { return "invalid" }
        if !hasPlaybook { return "orphaned" }
        if let active, active.state.waitsForPerson { return active.state.rawValue }
        if let active { return active.state == .grace ? "grace" : stuck ? "stuck" : "rotating" }
        if last?.state == .failed { return "failed" }
        if current == nil { return "not_imported" }
        return "ok"
    }
}

/// A rotation in status and history output.
public struct RotationSummary: Sendable, Codable, Equatable {
    public var id: String
    public var state: RotationState
    public var trigger: RotationTrigger
    public var actor: String
    public var reason: String?
    public var step: String?
    public var error: String?
    public var createdAt: Date
    public var completedAt: Date?
    public var graceEndsAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, state, trigger, actor, reason, step, error
        case createdAt = "created_at"
        case completedAt = "completed_at"
        case graceEndsAt = "grace_ends_at"
    }

    /// `playbook` names the last step as people know it (its target's label) instead of its journal key.
    public init(_ record: RotationRecord, lastStep: JournalEntry?, playbook: Playbook? = nil) {
        id = record.id
        state = record.state
        trigger = record.trigger
        actor = record.actor
        reason = record.reason
        step = lastStep.map { "\(playbook?.stepLabel($0.step) ?? $0.step) \($0.phase.rawValue)" }
        error = record.error
        createdAt = record.createdAt
        completedAt = record.completedAt
        graceEndsAt = record.graceEndsAt
    }
}

/// A rotation with its journal, for `rotor history`.
public struct RotationHistoryEntry: Sendable, Codable, Equatable {
    public var rotation: RotationSummary
    public var old: SecretVersionSummary?
    public var new: SecretVersionSummary?
    public var steps: [JournalLine]
}

public struct JournalLine: Sendable, Codable, Equatable {
    public var seq: Int
    public var step: String
    public var phase: String
    public var detail: String?
    public var at: Date

    init(_ entry: JournalEntry) {
        seq = entry.seq
        step = entry.step
        phase = entry.phase.rawValue
        detail = entry.detail
        at = entry.at
    }
}
