import Foundation
import RotorCore

/// Where a rotation stands, as the live progress page says it: "Redeploying services (2/4)…", each target's state,
/// then the outcome. Read from the store (the rotation and its journal), so it follows a rotation whichever process
/// runs it.
struct DashboardProgress: Encodable, Equatable {
    struct Target: Encodable, Equatable {
        var label: String
        var state: String
    }

    var rotation: String
    var secret: String
    var state: String
    var text: String
    var targets: [Target]
    var done: Bool
    var outcome: String

    /// `throughGrace`: follow the rotation past its grace to the end (an emergency that revokes the old value early).
    static func read(_ rotationID: String, dependencies: ServiceDependencies, throughGrace: Bool = false) async throws -> DashboardProgress? {
        let found = try await dependencies.store.transaction { tx -> (RotationRecord, [JournalEntry])? in
            guard let rotation = try tx.rotation(id: rotationID) else { return nil }
            return (rotation, try tx.journal(rotationID: rotationID))
        }
        guard let (rotation, journal) = found else { return nil }
        return describe(rotation, journal: journal, playbook: dependencies.playbooks[rotation.secretName], throughGrace: throughGrace)
    }

    static func describe(_ rotation: RotationRecord, journal: [JournalEntry], playbook: Playbook?, throughGrace: Bool = false) -> DashboardProgress {
        let labels = playbook?.targets.map(\.label) ?? []
        var last: [String: JournalPhase] = [:]
        for entry in journal { last[entry.step] = entry.phase }
        let targets = labels.indices.map { i -> Target in
            let state: String
            if last[RotationStep.undoPropagate(i).key] == .succeeded {
                state = "restored"
            } else {
                switch last[RotationStep.propagate(i).key] {
                case .succeeded?: state = "live"
                case .failed?: state = "failed"
                case nil: state = "waiting"
                default: state = "redeploying"
                }
            }
            return Target(label: labels[i], state: state)
        }
        let checks = playbook?.checks.count ?? 0
        let written = targets.filter { $0.state == "live" }.count
        let checked = (0..<checks).filter { last[RotationStep.verify($0).key] == .succeeded }.count
        let text: String
        switch rotation.state {
        case .awaitingValue: text = "Waiting for a person to supply the new value…"
        case .awaitingApproval: text = "Waiting for a person to approve the next stage…"
        case .generating: text = "Minting a new value…"
        case .propagating: text = "Redeploying services (\(min(written + 1, max(targets.count, 1)))/\(max(targets.count, 1)))…"
        case .verifying: text = "Checking the new value (\(min(checked + 1, max(checks, 1)))/\(max(checks, 1)))…"
        case .rollingBack: text = "Rolling back: restoring the previous value…"
        case .revoking: text = "Revoking the old value…"
        case .grace: text = "Live: the new value is in use everywhere."
        case .completed: text = "Completed: the new value is in use and the old one is revoked."
        case .rolledBack: text = "Rolled back: the targets hold the previous value."
        case .failed: text = "Failed."
        }
        let done = !rotation.state.isActive || (rotation.state == .grace && !throughGrace)
        var outcome = ""
        if done {
            switch rotation.state {
            case .grace:
                outcome = "Succeeded. The old value stays valid until \(DashboardText.time(rotation.graceEndsAt))."
            case .completed:
                outcome = "Succeeded."
            default:
                outcome = "Did not go through: \(rotation.error ?? rotation.state.rawValue)."
            }
        }
        return DashboardProgress(rotation: rotation.id, secret: rotation.secretName, state: rotation.state.rawValue, text: text,
                                 targets: targets, done: done, outcome: outcome)
    }
}
