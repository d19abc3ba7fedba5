import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct ScheduleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Upcoming rotations and advance warnings.",
        discussion: "Example:\n  rotor schedule --days 90"
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "How far ahead.") var days = 90
    @Flag(help: "Print JSON.") var json = false

    struct Entry: Encodable {
        var at: Date
        var secret: String
        var event: String
    }

    func run() async throws {
        let horizon = Double(days) * 86400
        let entries = try await RotorApp.with(global) { app -> [Entry] in
            let now = app.clock.now
            let playbooks = app.loadPlaybooks().playbooks.filter { !$0.isKeyTable && $0.schedule != nil }
            return try await app.store.transaction { tx in
                var entries: [Entry] = []
                for playbook in playbooks {
                    guard let current = try tx.version(secretName: playbook.secret, label: .current) else { continue }
                    let secret = try tx.secret(named: playbook.secret)
                    var cycleStart = current.activatedAt ?? current.createdAt
                    var next = secret?.cycleStartedAt == cycleStart ? secret?.nextRotationAt : nil
                    while let plan = Scheduler.plan(playbook, cycleStart: cycleStart, nextRotation: next),
                          plan.due.timeIntervalSince(now) <= horizon {
                        for warning in plan.warnings where warning.at >= now {
                            entries.append(Entry(at: warning.at, secret: playbook.secret,
                                                 event: "warning \(warning.key.split(separator: "@").first ?? "")"))
                        }
                        entries.append(Entry(at: plan.due, secret: playbook.secret, event: plan.due >= plan.deadline ? "rotation (compliance)" : "rotation"))
                        cycleStart = max(plan.due, now)
                        next = nil
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
