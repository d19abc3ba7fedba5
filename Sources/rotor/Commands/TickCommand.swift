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

            Exit status: 0 when the pass went well (a rotation driven by another process is not a failure); 1 when anything in the pass failed (a rotation failed, rolled back (other than a retried undo finishing) or could not revoke the old value, a notification was given up, an error); 2 for a usage or configuration error (bad arguments, rotor.yml, master key or store).

            Examples:
              rotor tick
              rotor tick --now 2026-12-01T03:00:00Z --json
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var time: NowOption
    @Flag(help: "Print JSON.") var json = false

    func run() async throws {
        let clock = time.clock
        let observer = json ? StepPrinter.silent : StepPrinter.printer
        let app = try await RotorApp.open(global, clock: clock)
        let items = await app.tick(observer: observer)
        await app.close()
        if json {
            print(JSONOutput.document(items, key: "items"))
        } else if items.isEmpty {
            Console.info("nothing to do")
        } else {
            for item in items { print("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)") }
        }
        if items.contains(where: Self.isFailure) { throw ExitCode.failure }
    }

    /// Whether an item of the pass is a failure: an error, a rotation that failed or rolled back, a revoke
    /// that stalled (a driven rotation only stays in `revoking` when revoking failed), a notification given up.
    /// Skips (another process drives the rotation) are not.
    static func isFailure(_ item: TickItem) -> Bool {
        if item.action == "error" || item.action == "delivery-failed" { return true }
        let failedStates: Set<String> = [RotationState.failed.rawValue, RotationState.rolledBack.rawValue]
        // A retried undo that ends in rolled_back is the recovery from an earlier failure, not a new one.
        if let state = item.state, failedStates.contains(state), item.action != "skipped",
           !(item.action == "undo-retried" && state == RotationState.rolledBack.rawValue) { return true }
        // A manual source's revoke waiting on a person (`waiting`) is not one.
        return item.state == RotationState.revoking.rawValue && item.action != "skipped" && item.action != "waiting"
    }
}
