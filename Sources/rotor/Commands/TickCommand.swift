import ArgumentParser
import Foundation
import RotorCore
import RotorHTTP
import RotorNotifiers

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
        let items = try await RotorContext.with(global, clock: clock) { context in await Self.tick(context, observer: observer) }
        if json {
            print(JSONOutput.string(items))
        } else if items.isEmpty {
            print("nothing to do")
        } else {
            for item in items { print("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)") }
        }
        if items.contains(where: { $0.action == "error" || $0.state == RotationState.failed.rawValue }) { throw ExitCode.failure }
    }

    /// One pass: finish what is in flight (resume, grace ends, undo retries, key grace ends), then schedule
    /// (warnings, due rotations, customer keys near their age limit).
    static func tick(_ context: RotorContext, observer: @escaping @Sendable (RunnerEvent) -> Void) async -> [TickItem] {
        let set = context.loadPlaybooks()
        let playbooks = Dictionary(set.playbooks.map { ($0.secret, $0) }, uniquingKeysWith: { first, _ in first })
        let runner = context.runner(observer: observer)
        let keyTable = context.providers.keyTable(playbooks: set.playbooks)
        let maintenance = Maintenance(runner: runner, store: context.store, clock: context.clock,
                                      playbooks: playbooks, tasks: [keyTable], logger: context.logger)
        var items = await maintenance.tick()
        let replyTokens: ReplyTokens
        do {
            replyTokens = try await ReplyTokens.load(store: context.store, sealer: context.sealer)
        } catch {
            items.append(TickItem(subject: "scheduler", action: "error", message: "\(error)"))
            return items
        }
        do {
            let scheduler = Scheduler(runner: runner, store: context.store, clock: context.clock, playbooks: set.playbooks,
                                      replyTokens: replyTokens,
                                      keys: set.playbooks.contains(where: \.isKeyTable) ? keyTable : nil,
                                      configuration: .init(publicURL: context.publicURL), logger: context.logger)
            items += await scheduler.tick()
        } catch {
            items.append(TickItem(subject: "scheduler", action: "error", message: "\(error)"))
        }
        // Last: deliver what this pass (and earlier ones) put in the outbox.
        let report = await OutboxDelivery(store: context.store, config: context.config, credentials: context.credentials,
                                          client: HTTPClient.shared, replyTokens: replyTokens, clock: context.clock, owner: LeaseOwner.make(),
                                          logger: context.logger).deliverDue()
        if !report.isEmpty {
            items.append(TickItem(subject: "notifications", action: report.failed > 0 ? "delivery-failed" : "delivered",
                                  message: "\(report.sent) sent, \(report.retried) to retry, \(report.failed) given up"
                                    + (report.errors.isEmpty ? "" : ": " + report.errors.prefix(3).joined(separator: "; "))))
        }
        return items
    }
}
