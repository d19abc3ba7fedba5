import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorKeyTable

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each secret: current and previous version, active rotation, grace end, next rotation.",
        discussion: """
            Versions are shown by fingerprint and last 4 characters only. A playbook that does not validate is shown as invalid; the other secrets are unaffected.

            Examples:
              rotor status
              rotor status openai-api-key --json
              rotor status openai-api-key --targets   # also what each target holds now (read-only), to see drift
              rotor status --now 2027-01-01            # as it will look then (grace ends, next rotations)
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var time: NowOption
    @Argument(help: "Only this secret.", completion: SecretNameCompletion.kind) var secret: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Also read what each target of SECRET holds now (read-only) and compare fingerprints, to see drift.")
    var targets = false

    /// A status with what its targets hold, for `--targets --json`.
    struct WithTargets: Encodable {
        var status: SecretStatus
        var targets: [TargetDrift]
    }

    func validate() throws {
        if targets, secret == nil { throw ValidationError("--targets needs a SECRET") }
    }

    func run() async throws {
        let (statuses, drift, oldKeys) = try await RotorApp.with(global, clock: time.clock) { app in
            let set = app.loadPlaybooks()
            let keyPolicy = set.playbooks.first(where: \.isKeyTable).map(KeyTableSource.policy)
            let statuses = try await app.secrets.status(playbooks: set.playbooks, invalid: set.problemsBySecret, only: secret,
                                                        keyPolicy: keyPolicy.map { ($0.maxAge, $0.warnBefore) })
            // Customer keys presented after they stopped working: possible leaks, shown with the whole status.
            let oldKeys = secret == nil && !json ? try await app.keyTable(policy: KeyTablePolicy()).keysUsedWhenOld(limit: 20) : []
            guard targets, let status = statuses.first, let playbook = set.playbooks.first(where: { $0.secret == secret }) else {
                return (statuses, [TargetDrift](), oldKeys)
            }
            return (statuses, await DriftInspector(factory: app.providers).inspect(playbook, current: status.current?.fingerprint,
                                                                                    previous: status.previous?.fingerprint), oldKeys)
        }
        if let secret, statuses.isEmpty { throw CLIError("no secret named \(TerminalText.safe(secret)) (no playbook and nothing in the store)") }
        if json {
            if targets {
                print(JSONOutput.document(WithTargets(status: statuses[0], targets: drift)))
            } else if secret == nil {
                print(JSONOutput.document(statuses, key: "secrets"))
            } else {
                print(JSONOutput.document(statuses[0]))
            }
            return
        }
        let safe = TerminalText.safe
        for status in statuses {
            print("\(safe(status.secret)): \(StatusColour.paint(status.state))\(status.keys == nil ? "" : " (customer key table)")")
            if let keys = status.keys {
                Self.printKeys(keys)
                continue
            }
            if let current = status.current {
                print("  current   \(current.display)  fp \(current.fingerprint)  since \(current.createdAt.map(ISO8601.string) ?? "?")")
            } else {
                print("  current   none (import the value in use: `rotor import \(safe(status.secret))`)")
            }
            if let previous = status.previous { print("  previous  \(previous.display)  fp \(previous.fingerprint)") }
            if let rotation = status.rotation {
                print("  rotation  \(rotation.id) \(rotation.state.rawValue)\(rotation.step.map { " (\(safe($0)))" } ?? "")"
                      + "\(rotation.error.map { " — \(safe($0))" } ?? "")")
            }
            if let stage = status.stage {
                print("  stage     \(safe(stage.name)) (\(stage.number) of \(stage.of))"
                      + (stage.awaitingApproval ? ": waiting for approval (`rotor approve \(safe(status.secret))`)" : " is live"))
            }
            if let since = status.stuckSince {
                print("  \(Mark.warning) stuck: no progress since \(ISO8601.string(since)); `rotor tick` resumes it, `rotor history \(status.secret)` shows where it stopped")
            }
            if let grace = status.graceEndsAt { print("  grace ends \(ISO8601.string(grace))") }
            if let retry = status.retryAt {
                print("  backing off after \(status.attempt) failed attempt\(status.attempt == 1 ? "" : "s"); next try \(ISO8601.string(retry))")
            }
            if let next = status.nextRotationAt { print("  next rotation \(ISO8601.string(next))") }
            for problem in status.problems { print("  \(Mark.failed) \(safe(problem))") }
            for target in drift { print("  target \(safe(target.target)): \(target.line(current: status.current?.fingerprint))") }
        }
        if !oldKeys.isEmpty { print("customer keys used after they stopped working:") }
        for key in oldKeys {
            print("  \(key.id)  \(key.prefix)…\(key.last4)  \(safe(key.org))  \(key.status.rawValue)\(KeysCommand.oldKeyUseText(key))")
        }
    }
}

extension StatusCommand {
    /// The key table's counts and its oldest key against `max_age`.
    static func printKeys(_ keys: KeyTableSummary) {
        print("  keys      \(keys.active) active, \(keys.inGrace) in grace, \(keys.due) due for rotation, \(keys.overdue) overdue")
        let maxAge = "max_age \(Self.days(keys.maxAgeDays))"
        if let id = keys.oldestKeyID, let age = keys.oldestAgeDays {
            print("  oldest    \(id) is \(Self.days(age)) old (\(maxAge))")
        } else {
            print("  oldest    no active key (\(maxAge))")
        }
        if keys.overdue > 0 {
            print("  \(Mark.warning) \(keys.overdue) key\(keys.overdue == 1 ? " is" : "s are") past max_age; the next pass (`rotor tick` or the daemon) rotates them")
        }
    }

    static func days(_ days: Double) -> String {
        days == days.rounded() ? "\(Int(days)) days" : String(format: "%.1f days", days)
    }
}
