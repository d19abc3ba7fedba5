import ArgumentParser
import Foundation
import RotorApp
import RotorCore

struct TickCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tick",
        abstract: "One pass: resume, end grace periods, warn, rotate what is due, deliver notifications.",
        discussion: """
            For cron jobs and tests: resumes interrupted rotations, revokes old values whose grace ended, retries failed undos, sends advance warnings, starts due rotations inside their window (and any at max_age regardless of it), rotates customer keys near their age limit, and delivers the outbox. --now runs the pass as if it were that time (time still flows from there), so a year of schedules can be tested in seconds.

            Examples:
              rotor tick
              rotor tick --now 2026-12-01T03:00:00Z --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Run as if it were this time (ISO 8601, UTC).", transform: TimeText.parseArgument) var now: Date?
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let clock: any RotorClock = now.map { OffsetClock(startingAt: $0) } ?? SystemClock()
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let items = try await RotorApp.with(global, clock: clock) { app in await app.tick(observer: observer) }
        if json {
            print(JSONOutput.string(items))
        } else if items.isEmpty {
            print("nothing to do")
        } else {
            for item in items { print("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)") }
        }
        if items.contains(where: { $0.action == "error" || $0.state == RotationState.failed.rawValue }) { throw ExitCode.failure }
    }
}
