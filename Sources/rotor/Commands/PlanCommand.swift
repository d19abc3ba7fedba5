import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a rotation of SECRET would do, and what each target holds now. Changes nothing, anywhere.",
        discussion: """
            Each target is read (read-only) and shown by the fingerprint of what it holds against Rotor's current version, so a value changed by hand (drift) is visible. Values are never shown.

            Example:
              rotor plan openai-api-key
            """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The secret's name.", completion: SecretNameCompletion.kind) var secret: String
    @Flag(help: "Print JSON.") var json = false

    struct Plan: Encodable {
        var secret: String
        var source: String
        var steps: [String]
        var targets: [String]
        var checks: [String]
        /// For a staged playbook, its stages in order; empty otherwise.
        var stages: [Stage]
        var grace: String
        var wouldRevoke: SecretVersionSummary?
        var activeRotation: String?
        /// What each target holds now, by fingerprint.
        var targetsNow: [TargetDrift]
    }

    /// One stage: its targets and checks by label, and whether a person approves before it.
    struct Stage: Encodable {
        var name: String
        var targets: [String]
        var checks: [String]
        var approve: Bool
    }

    /// The writes and checks in the order a rotation does them: stage by stage, each stage's approval first.
    static func middleSteps(_ playbook: Playbook, targets: [String], checks: [String]) -> [String] {
        playbook.stagePlan.enumerated().flatMap { number, stage -> [String] in
            let prefix = playbook.isStaged ? "[\(stage.name)] " : ""
            let approval = stage.approve
                ? ["\(prefix)wait for approval (`rotor approve \(playbook.secret)` or the link sent to \(playbook.notify.isEmpty ? "no channel" : playbook.notify.joined(separator: ", ")))"]
                : []
            let writes = stage.targets.map { "\(prefix)write to \(targets[$0])" + previews(playbook.targets[$0]) }
            return approval + writes + stage.checks.map { "\(prefix)check \(checks[$0])" }
        }
    }

    /// What a target does with preview deployments, when it says (`previews:` of a vercel target).
    static func previews(_ config: ProviderConfig) -> String {
        switch config.string("previews") {
        case "redeploy"?:
            "; previews: redeploy each branch's latest preview active within "
                + DurationText.format(config.duration("previews_within") ?? .seconds(7 * 86_400))
        case "ignore"?: "; previews: ignore (existing preview deployments keep the old value and break once it is revoked)"
        default: ""
        }
    }

    func run() async throws {
        try await RotorApp.with(global) { app in
            let playbook = try app.playbook(secret, in: app.loadPlaybooks())
            let providers = app.providers
            let targets = try playbook.targets.map { try providers.target($0, of: playbook).label }
            let checks = try playbook.checks.map { try providers.check($0, of: playbook).label }
            let status = try await app.secrets.status(playbooks: [playbook], invalid: [:], only: secret).first
            let plan = Plan(
                secret: secret, source: playbook.source.provider,
                steps: ["generate a new value with \(playbook.source.provider) and seal it (pending)"]
                    + Self.middleSteps(playbook, targets: targets, checks: checks)
                    + ["make the new value current; keep the old one valid for \(DurationText.format(playbook.grace))",
                       "after grace: revoke \(status?.current?.display ?? "the old value (none imported yet)") at \(playbook.source.provider)"],
                targets: targets, checks: checks,
                stages: playbook.stages.map { Stage(name: $0.name, targets: $0.targets.map { targets[$0] },
                                                    checks: $0.checks.map { checks[$0] }, approve: $0.approve) },
                grace: DurationText.format(playbook.grace),
                wouldRevoke: status?.current, activeRotation: status?.rotation.flatMap { $0.state.isActive ? $0.id : nil },
                targetsNow: await DriftInspector(factory: providers).inspect(playbook, current: status?.current?.fingerprint,
                                                                             previous: status?.previous?.fingerprint))
            if json {
                print(JSONOutput.document(plan))
                return
            }
            print("Plan for \(secret) (dry run, nothing changed):")
            if playbook.isStaged {
                print("Stages, each written and verified before the next; a failure in any rolls every stage back: "
                      + plan.stages.map { $0.name + ($0.approve ? " (needs approval)" : "") }.joined(separator: " → "))
            }
            for (index, step) in plan.steps.enumerated() { print("  \(index + 1). \(step)") }
            print("Targets now (Rotor's current: \(status?.current.map { "fp \($0.fingerprint)" } ?? "none")):")
            for target in plan.targetsNow { print("  \(target.target): \(target.line(current: status?.current?.fingerprint))") }
            if let active = plan.activeRotation { print("\(Mark.warning) rotation \(active) is active: `rotor rotate` would refuse until it ends") }
        }
    }
}
