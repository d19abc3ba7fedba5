import ArgumentParser
import Foundation
import Logging
import RotorCore
import RotorServer
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: a scheduler pass every --interval until SIGTERM or SIGINT.",
        discussion: """
            Each pass does what `rotor tick` does. On SIGTERM/SIGINT the pass in progress finishes (a step in flight completes and is journaled) before the process exits; anything interrupted harder than that is resumed by the next pass of any daemon.

            On SQLite only one daemon may run (a second one refuses to start and says which one holds the store); on PostgreSQL several daemons share the work, each rotation and warning happening once.

            Example:
              rotor run --interval 60s
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Time between passes, e.g. 60s.", transform: DurationText.parseArgument) var interval: Duration = .seconds(60)
    @Option(help: "The HTTP service's address.") var host = "127.0.0.1"
    @Option(help: "The HTTP service's port (`rotor serve` in the same process).") var port = 8750
    @Flag(name: .customLong("no-serve"), help: "Do not run the HTTP service.") var noServe = false

    func run() async throws {
        try await RotorContext.with(global) { context in
            let owner = LeaseOwner.make()
            let lease = max(interval * 3, .seconds(60))
            if context.store.backend == "sqlite" {
                let now = context.clock.now
                let holder = try await context.store.transaction { tx -> String? in
                    // A daemon that died on this host (kill -9) does not keep the store until its lease runs out.
                    let current = try tx.lockHolder(name: "daemon")
                    let claimTime = LeaseOwner.claimTime(now: now, holder: current?.owner, expires: current?.until)
                    if try tx.acquireLock(name: "daemon", owner: owner, until: now.addingTimeInterval(lease.timeInterval),
                                          now: claimTime) != nil {
                        return nil
                    }
                    return try tx.lockHolder(name: "daemon")?.owner ?? "another process"
                }
                if let holder {
                    throw CLIError("another rotor daemon (\(holder)) is running on this SQLite store "
                                   + "(\(StoreURLDisplay.redacted(global.resolvedStoreURL))); SQLite serves one daemon. "
                                   + "Stop the other one, or use a PostgreSQL store to run several.")
                }
            }
            var services: [any Service] = [SchedulerLoop(context: context, interval: interval, owner: owner, lease: lease)]
            if !noServe {
                services.append(RotorService(dependencies: try await context.serviceDependencies()).application(host: host, port: port))
            }
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                          logger: context.logger))
            print("rotor daemon \(owner): a pass every \(DurationText.format(interval)); SIGTERM stops it after the current pass")
            try await group.run()
            if context.store.backend == "sqlite" {
                try? await context.store.transaction { try $0.releaseLock(name: "daemon", owner: owner) }
            }
            print("rotor daemon stopped")
        }
    }
}

/// Runs passes until a graceful shutdown: a pass is never cancelled half-way, only the sleep between passes.
struct SchedulerLoop: Service {
    let context: RotorContext
    let interval: Duration
    let owner: String
    let lease: Duration

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let items = await TickCommand.tick(context, observer: StepPrinter.silent)
            for item in items where item.action != "waiting" {
                context.logger.notice("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)")
            }
            if context.store.backend == "sqlite" {
                _ = try? await context.store.transaction { tx in
                    try tx.acquireLock(name: "daemon", owner: owner, until: context.clock.now.addingTimeInterval(lease.timeInterval),
                                       now: context.clock.now)
                }
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
