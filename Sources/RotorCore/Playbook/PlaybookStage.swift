/// One stage of a staged playbook (`stages:`): its targets and checks, as ranges into the playbook's flat
/// `targets` and `checks` (so every step keeps its index), and whether a person approves before it starts.
///
/// A playbook without `stages:` is one implicit stage holding every target and check (see
/// ``Playbook/stagePlan``).
public struct PlaybookStage: Sendable, Equatable, Codable {
    /// As written (`staging`, `production`); unique within the playbook.
    public var name: String
    /// The stage's targets: indices into ``Playbook/targets``.
    public var targets: Range<Int>
    /// The stage's checks: indices into ``Playbook/checks``.
    public var checks: Range<Int>
    /// The rotation waits in `awaiting_approval` before this stage until a person approves.
    public var approve: Bool

    public init(name: String, targets: Range<Int>, checks: Range<Int>, approve: Bool = false) {
        self.name = name
        self.targets = targets
        self.checks = checks
        self.approve = approve
    }

    /// The name of the one stage a playbook without `stages:` has.
    public static let implicitName = "all"
}

extension Playbook {
    /// The stages a rotation goes through in order: the written ones, or one implicit stage holding everything.
    public var stagePlan: [PlaybookStage] {
        stages.isEmpty
            ? [PlaybookStage(name: PlaybookStage.implicitName, targets: 0..<targets.count, checks: 0..<checks.count)]
            : stages
    }

    /// Whether the playbook groups its targets and checks into written stages.
    public var isStaged: Bool { !stages.isEmpty }
}
