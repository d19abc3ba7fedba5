/// Which stage of a staged playbook an active rotation is in, for `rotor status` (nil for a playbook without
/// written stages, and once every stage is live).
public struct StageStatus: Sendable, Codable, Equatable {
    /// The stage's name as written.
    public var name: String
    /// 1-based position, and how many stages there are.
    public var number: Int
    public var of: Int
    /// The rotation waits for a person to approve this stage before writing it.
    public var awaitingApproval: Bool
    /// The stages before it: written and verified.
    public var done: [String]

    enum CodingKeys: String, CodingKey {
        case name, number, of, done
        case awaitingApproval = "awaiting_approval"
    }

    /// The live stage of `rotation`, rebuilt from its journal the way the runner does; nil when there is none to tell.
    static func live(_ rotation: RotationRecord?, journal: [JournalEntry], playbook: Playbook?) -> StageStatus? {
        guard let rotation, rotation.state.isActive, rotation.state != .grace, rotation.state != .revoking,
              let playbook, playbook.isStaged else { return nil }
        let machine = RotationMachine(plan: RotationRunner.plan(for: playbook, revokeImmediately: rotation.revokeImmediately),
                                      state: rotation.state, failureReason: rotation.error, journal: journal)
        guard let stage = machine.liveStage, playbook.stages.indices.contains(stage) else { return nil }
        return StageStatus(name: playbook.stages[stage].name, number: stage + 1, of: playbook.stages.count,
                           awaitingApproval: rotation.state == .awaitingApproval,
                           done: playbook.stages[..<stage].map(\.name))
    }
}
