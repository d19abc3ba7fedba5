import Foundation
import RotorCore
import ServiceLifecycle

/// Runs passes until a graceful shutdown: a pass is never cancelled half-way, only the sleep between passes.
struct SchedulerLoop: Service {
    let app: RotorApp
    let interval: Duration
    let lock: DaemonLock

    func run() async throws {
        var passes = 0
        while !Task.isShuttingDownGracefully {
            let items = await app.tick()
            passes += 1
            for item in items where item.action != "waiting" {
                app.logger.notice("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)")
            }
            await lock.renew()
            // One line per pass (at debug level) lets an operator, and the daemon tests, see that passes go on.
            app.logger.debug("scheduler pass \(passes) finished", metadata: ["items": "\(items.count)"])
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
