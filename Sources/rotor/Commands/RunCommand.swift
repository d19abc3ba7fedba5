import ArgumentParser
import Foundation
import RotorApp
import RotorCore
import ServiceLifecycle

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "The daemon: a scheduler pass every --interval until SIGTERM or SIGINT.",
        discussion: """
            Each pass does what `rotor tick` does. On SIGTERM/SIGINT the pass in progress finishes (a step in flight completes and is journaled) before the process exits; anything interrupted harder than that is resumed by the next pass of any daemon.

            On SQLite only one daemon may run (a second one refuses to start and says which one holds the store); on PostgreSQL several daemons share the work, each rotation and warning happening once.

            The HTTP service (what `rotor serve` does) listens on --listen (or --host and --port), else ROTOR_LISTEN, else rotor.yml's server.listen, else 127.0.0.1:8750.

            Examples:
              rotor run --interval 60s
              rotor run --listen 0.0.0.0:8750
              rotor run --no-serve
            """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "Time between passes, e.g. 60s.", transform: DurationText.parseArgument) var interval: Duration = .seconds(60)
    @OptionGroup var address: ListenOptions
    @Flag(name: .customLong("no-serve"), help: "Do not run the HTTP service.") var noServe = false

    func run() async throws {
        try await RotorApp.with(global) { app in
            let daemon = RotorDaemon(app: app, interval: interval)
            try await daemon.acquireLock()
            let group = try await daemon.serviceGroup(serving: noServe ? nil : try address.resolve(app))
            print("rotor daemon \(daemon.owner): a pass every \(DurationText.format(interval)); SIGTERM stops it after the current pass")
            try await group.run()
            await daemon.releaseLock()
            print("rotor daemon stopped")
        }
    }
}
