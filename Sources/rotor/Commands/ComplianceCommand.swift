import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import RotorKeyTable

struct ComplianceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compliance",
        abstract: "Every managed secret and active customer key against its maximum age, and the coverage.",
        discussion: """
            Statuses: ok, due_soon, overdue, failing, not_imported. Exit 1 when anything is overdue or failing.

            Examples:
              rotor compliance
              rotor compliance --now 2027-01-01 --json   # what will be overdue then
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var time: NowOption
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let report = try await RotorApp.with(global, clock: time.clock) { app -> ComplianceReport in
            let playbooks = app.loadPlaybooks().playbooks
            let keyPolicy = playbooks.first(where: \.isKeyTable).map(KeyTableSource.policy) ?? KeyTablePolicy()
            return try await ComplianceReport.build(store: app.store, playbooks: playbooks, now: app.clock.now,
                                                    keyPolicy: (keyPolicy.maxAge, keyPolicy.warnBefore))
        }
        if json {
            print(JSONOutput.string(report))
        } else {
            for item in report.items where item.kind == "secret" || item.status != "ok" {
                let mark = ["ok": "✅", "due_soon": "🕑", "overdue": "❌", "failing": "🚨"][item.status] ?? "·"
                print("\(mark) \(item.subject.padding(toLength: 24, withPad: " ", startingAt: 0)) \(item.status.padding(toLength: 12, withPad: " ", startingAt: 0))"
                      + " age \(item.ageDays.map { String(format: "%.1fd", $0) } ?? "-") of \(Int(item.maxAgeDays))d"
                      + (item.nextRotation.map { "  next \(ISO8601.string($0))" } ?? "")
                      + (item.skipsUsed.map { "  skips \($0)" } ?? ""))
            }
            let keys = report.items.filter { $0.kind == "api_key" }
            print("customer keys: \(keys.count) active, \(keys.filter { $0.status == "ok" }.count) ok, "
                  + "\(keys.filter { $0.status == "due_soon" }.count) due soon, \(keys.filter { $0.status == "overdue" }.count) overdue")
            print(String(format: "coverage: %.1f%% within max age", report.coverage * 100))
        }
        if report.items.contains(where: { $0.status == "overdue" || $0.status == "failing" }) { throw ExitCode.failure }
    }
}
