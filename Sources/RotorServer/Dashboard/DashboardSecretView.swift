import Foundation
import RotorCore

/// The secret page's view: its versions by fingerprint and last 4 (never a value), schedule and warnings, policy,
/// targets, the timeline of its rotations with their steps, and the actions an operator may take.
struct DashboardSecretView {
    struct Version {
        var label: String
        var display: String
        var fingerprint: String
        var created: String
    }

    struct Step {
        var label: String
        var phase: String
        var tone: String
        var at: String
    }

    struct Rotation {
        var id: String
        var state: String
        var tone: String
        var trigger: String
        var actor: String
        var reason: String
        var started: String
        var finished: String
        var change: String
        var error: String?
        var steps: [Step]
        var inFlight: Bool
    }

    struct Action {
        var action: String
        var label: String
        var danger: Bool
    }

    var secret: String
    var owner: String
    var state: String
    var stateTone: String
    var versions: [Version]
    var nextRotation: String
    var warnings: [String]
    var policy: [String]
    /// What each target held at the last reading, and what it should hold.
    var reading: DashboardTargetReading
    var checks: [String]
    var rotations: [Rotation]
    var actions: [Action]
    var canAct: Bool
    var csrf: String
    var hasWarnings: Bool
    var hasChecks: Bool

    /// `recentReading`: the person asked to read the targets again within the minute (the page says why nothing changed).
    static func build(_ playbook: Playbook, session: DashboardSession, dependencies: ServiceDependencies,
                      recentReading: Bool = false) async throws -> DashboardSecretView {
        let service = SecretService(store: dependencies.store, sealer: dependencies.sealer, clock: dependencies.clock)
        let status = try await service.status(playbooks: [playbook], invalid: [:], only: playbook.secret).first
        let history = try await service.history(secret: playbook.secret, limit: 50)
        let versions = [status?.current, status?.previous].compactMap { $0 }.map {
            Version(label: $0.label?.rawValue ?? "", display: $0.display, fingerprint: $0.fingerprint, created: DashboardText.time($0.createdAt))
        }
        let next = status?.nextRotationAt
        let warnings = (playbook.schedule?.warnBefore ?? []).compactMap { before -> String? in
            next.map { "\(DashboardText.time($0.addingTimeInterval(-before.timeInterval))) (\(DurationText.format(before)) before)" }
        }
        let policy = playbook.policy
        // Targets legitimately differ while a rotation writes them (or rolls them back), not in grace: all hold the new value then.
        let writing: Set<RotationState> = [.generating, .propagating, .verifying, .awaitingApproval, .rollingBack]
        let reading = try await DashboardTargetReading.build(playbook, current: status?.current,
                                                             inFlight: history.contains { writing.contains($0.rotation.state) },
                                                             recent: recentReading, dependencies: dependencies)
        return DashboardSecretView(
            secret: playbook.secret, owner: playbook.owner ?? "—", state: status?.state ?? "not_imported",
            stateTone: DashboardText.tone(status?.state ?? "not_imported"), versions: versions,
            nextRotation: DashboardText.time(next), warnings: warnings,
            policy: ["max age \(DurationText.format(policy.maxAge))", "grace \(DurationText.format(playbook.grace))",
                     "at most \(policy.maxSkips) skips of \(DurationText.format(policy.skipFor)) per cycle",
                     "emergency grace \(DurationText.format(playbook.emergencyGrace))"],
            reading: reading, checks: playbook.checks.map(\.label),
            rotations: history.map { rotation($0, playbook: playbook) },
            actions: actions(playbook, state: status?.state), canAct: session.isOperator, csrf: session.csrf,
            hasWarnings: !warnings.isEmpty, hasChecks: !playbook.checks.isEmpty)
    }

    static func rotation(_ entry: RotationHistoryEntry, playbook: Playbook) -> Rotation {
        let rotation = entry.rotation
        let steps = entry.steps.filter { $0.step != "plan" }.map {
            Step(label: playbook.stepLabel($0.step), phase: $0.phase, tone: DashboardText.tone($0.phase == "failed" ? "failed" : "ok"),
                 at: DashboardText.time($0.at))
        }
        let change = [entry.old.map { "from \($0.display)" }, entry.new.map { "to \($0.display)" }].compactMap { $0 }.joined(separator: " ")
        return Rotation(id: rotation.id, state: rotation.state.rawValue, tone: DashboardText.tone(rotation.state.rawValue),
                        trigger: rotation.trigger.rawValue, actor: rotation.actor, reason: rotation.reason ?? "—",
                        started: DashboardText.time(rotation.createdAt), finished: DashboardText.time(rotation.completedAt),
                        change: change.isEmpty ? "—" : change, error: rotation.error, steps: steps, inFlight: rotation.state.isActive)
    }

    static func actions(_ playbook: Playbook, state: String?) -> [Action] {
        var actions: [Action] = []
        if playbook.schedule != nil { actions.append(Action(action: "skip", label: "Skip", danger: false)) }
        actions.append(Action(action: "rotate", label: "Rotate now", danger: false))
        actions.append(Action(action: "emergency", label: "Emergency", danger: true))
        if ["failed", "stuck", "rotating"].contains(state ?? "") { actions.append(Action(action: "resolve", label: "Resolve", danger: false)) }
        return actions
    }
}
