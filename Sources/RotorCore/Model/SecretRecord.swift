import Foundation

/// A secret under management, with its schedule and warning state for the current rotation cycle.
public struct SecretRecord: Sendable, Equatable {
    /// Unique name, as written in the playbook (`secret:`).
    public var name: String
    /// The playbook file this secret was loaded from, if any.
    public var playbookPath: String?
    public var kind: SecretKind
    /// When the scheduler should next rotate this secret; nil when it has no schedule.
    public var nextRotationAt: Date?
    /// Start of the current cycle (the last rotation), from which warnings and skips are counted.
    public var cycleStartedAt: Date?
    /// Keys of the advance warnings already sent this cycle (for example `"7d"`), so each goes out once.
    public var warningsSent: [String]
    /// How many times the owners postponed the rotation this cycle.
    public var skipsThisCycle: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        name: String,
        playbookPath: String? = nil,
        kind: SecretKind = .secret,
        nextRotationAt: Date? = nil,
        cycleStartedAt: Date? = nil,
        warningsSent: [String] = [],
        skipsThisCycle: Int = 0,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.name = name
        self.playbookPath = playbookPath
        self.kind = kind
        self.nextRotationAt = nextRotationAt
        self.cycleStartedAt = cycleStartedAt
        self.warningsSent = warningsSent
        self.skipsThisCycle = skipsThisCycle
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
