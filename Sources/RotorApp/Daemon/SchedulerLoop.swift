import Foundation
import Logging
import Metrics
import RotorCore
import ServiceLifecycle

/// Runs passes until a graceful shutdown: a pass is never cancelled half-way, only the sleep between passes.
/// Each pass is logged at info with its counts and duration, and reported to the metrics: its duration, how late
/// it started against the cadence (previous start + interval), and when it finished.
struct SchedulerLoop: Service {
    let app: RotorApp
    let interval: Duration
    let lock: DaemonLock

    func run() async throws {
        var passes = 0
        let durations = Timer(label: RotorMetrics.schedulerPassDuration)
        let lag = Gauge(label: RotorMetrics.schedulerLag)
        let lastPass = Gauge(label: RotorMetrics.schedulerLastPass)
        Gauge(label: RotorMetrics.schedulerInterval).record(Double(interval.components.seconds))
        var previousStart: ContinuousClock.Instant?
        while !Task.isShuttingDownGracefully {
            let started = ContinuousClock.now
            if let previousStart {
                let late = started - (previousStart + interval)
                lag.record(max(0, Double(late.components.seconds) + Double(late.components.attoseconds) / 1e18))
            }
            previousStart = started
            let items = await app.tick()
            passes += 1
            for item in items where item.action != "waiting" {
                app.logger.notice("\(item.subject): \(item.action)\(item.state.map { " → \($0)" } ?? "") — \(item.message)",
                                  metadata: item.rotationID.map { ["secret": "\(item.subject)", "rotation": "\($0)"] })
            }
            await lock.renew()
            let elapsed = ContinuousClock.now - started
            durations.record(duration: elapsed)
            lastPass.record(Date().timeIntervalSince1970)
            logPass(passes, items, elapsed: elapsed)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One info line per pass: how many items of each action it produced, and how long it took.
    private func logPass(_ number: Int, _ items: [TickItem], elapsed: Duration) {
        var counts: Logger.Metadata = [:]
        for (action, count) in Dictionary(grouping: items, by: \.action).mapValues(\.count) {
            counts[action] = "\(count)"
        }
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        // "scheduler pass N finished": an operator (and the daemon tests) can see that passes go on.
        app.logger.info("scheduler pass \(number) finished", metadata: [
            "pass.items": "\(items.count)", "pass.actions": .dictionary(counts),
            "pass.duration_ms": "\((milliseconds * 10).rounded() / 10)",
        ])
    }
}
