import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Upcoming rotations and advance warnings.",
        discussion: """
            Examples:
              rotor schedule --days 90
              rotor schedule --now 2027-01-01 --days 30 --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var time: NowOption
    @Option(help: "How far ahead.") var days = 90
    @Flag(help: "Print JSON.") var json = false

    struct Entry: Encodable {
        var at: Date
        var secret: String
        var event: String
    }

    func run() async throws {
        let horizon = Double(days) * 86400
        let entries = try await RotorApp.with(global, clock: time.clock) { app -> [Entry] in
            let now = app.clock.now
            let playbooks = app.loadPlaybooks().playbooks.filter { !$0.isKeyTable && $0.schedule != nil }
            return try await app.store.transaction { tx in
                var entries: [Entry] = []
                for playbook in playbooks {
                    guard let current = try tx.version(secretName: playbook.secret, label: .current) else { continue }
                    let secret = try tx.secret(named: playbook.secret)
                    // The first date is the one `status` and `compliance` show (skips and backoff included); later
                    // cycles are the schedule's, each counted from the rotation before it.
                    var plan = SecretSchedule.plan(secret, playbook: playbook, current: current, now: now)
                    if let shown = SecretSchedule.nextRotation(secret, playbook: playbook, current: current,
                                                               history: try tx.rotations(secretName: playbook.secret), now: now) {
                        plan?.due = shown
                    }
                    while let cycle = plan, cycle.due.timeIntervalSince(now) <= horizon {
                        for warning in cycle.warnings where warning.at >= now {
                            entries.append(Entry(at: warning.at, secret: playbook.secret,
                                                 event: "warning \(warning.key.split(separator: "@").first ?? "")"))
                        }
                        entries.append(Entry(at: cycle.due, secret: playbook.secret,
                                             event: cycle.due >= cycle.deadline ? "rotation (compliance)" : "rotation"))
                        plan = Scheduler.plan(playbook, cycleStart: max(cycle.due, now), nextRotation: nil)
                    }
                }
                return entries.sorted { $0.at < $1.at }
            }
        }
        if json {
            print(JSONOutput.string(entries))
            return
        }
        if entries.isEmpty { print("nothing scheduled in the next \(days) days (secrets must be imported to be scheduled)") }
        for entry in entries { print("\(ISO8601.string(entry.at))  \(entry.secret.padding(toLength: 24, withPad: " ", startingAt: 0)) \(entry.event)") }
    }
}
