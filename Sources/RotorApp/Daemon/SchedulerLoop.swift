import Foundation
import RotorCore
import ServiceLifecycle

/// Runs passes until a graceful shutdown: a pass is never cancelled half-way, only the sleep between passes.
struct SchedulerLoop: Service {
    let app: RotorApp
    let interval: Duration
    let lock: DaemonLock

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            let items = await app.tick()
            for item in items where item.action != "waiting" {
                app.logger.notice("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)")
            }
            await lock.renew()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
