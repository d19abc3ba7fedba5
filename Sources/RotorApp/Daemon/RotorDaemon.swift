import Foundation
import RotorCore
import RotorServer
import ServiceLifecycle

/// The daemon: a pass every `interval` and, unless told otherwise, the HTTP service, in one service group that
/// stops gracefully on SIGTERM or SIGINT. On SQLite it first takes the store's single-daemon lock.
public struct RotorDaemon: Sendable {
    public let app: RotorApp
    public let interval: Duration
    /// Names this daemon in the SQLite lock.
    public let owner: String
    private let lock: DaemonLock

    /// A daemon of `app` passing every `interval`. Its lock's lease is three intervals, at least a minute, so
    /// that a slow pass does not lose it.
    public init(app: RotorApp, interval: Duration, owner: String = LeaseOwner.make()) {
        self.app = app
        self.interval = interval
        self.owner = owner
        lock = DaemonLock(app: app, owner: owner, lease: max(interval * 3, .seconds(60)))
    }

    /// Takes the single-daemon lock of a SQLite store; throws ``DaemonLockError`` when another daemon holds it.
    public func acquireLock() async throws { try await lock.acquire() }

    /// Releases the lock taken by ``acquireLock()``.
    public func releaseLock() async { await lock.release() }

    /// The scheduler loop and, when `address` is given, the HTTP service listening there.
    public func serviceGroup(serving address: (host: String, port: Int)?) async throws -> ServiceGroup {
        var services: [any Service] = [SchedulerLoop(app: app, interval: interval, lock: lock)]
        if let address {
            let service = RotorService(dependencies: try await app.serviceDependencies(), limits: app.serviceLimits())
            services.append(service.application(host: address.host, port: address.port))
        }
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                 logger: app.logger))
    }
}
