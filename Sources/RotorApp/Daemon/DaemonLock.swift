import Foundation
import RotorCore

/// The single-daemon lock of a SQLite store: SQLite serves one writer, so one daemon at a time works it. The
/// holder renews the lock every pass; a holder that stopped renewing loses it when its lease runs out, and one
/// that died on this host (kill -9) loses it at once. PostgreSQL stores need no lock: their daemons share the
/// work through rotation and notification leases.
struct DaemonLock: Sendable {
    let app: RotorApp
    let owner: String
    let lease: Duration

    private static let name = "daemon"

    /// Only SQLite stores are limited to one daemon.
    var applies: Bool { app.store.backend == "sqlite" }

    /// Takes the lock, or throws ``DaemonLockError`` naming the daemon that holds it.
    func acquire() async throws {
        guard applies else { return }
        let (owner, lease, now) = (owner, lease, app.clock.now)
        let holder = try await app.store.transaction { tx -> String? in
            let current = try tx.lockHolder(name: Self.name)
            let claimTime = LeaseOwner.claimTime(now: now, holder: current?.owner, expires: current?.until)
            if try tx.acquireLock(name: Self.name, owner: owner, until: now.addingTimeInterval(lease.timeInterval),
                                  now: claimTime) != nil {
                return nil
            }
            return try tx.lockHolder(name: Self.name)?.owner ?? "another process"
        }
        if let holder { throw DaemonLockError(holder: holder, storeURL: app.options.storeURL) }
    }

    /// Extends the lease by another `lease` from now; best effort (a lost renewal is retried next pass).
    func renew() async {
        guard applies else { return }
        let (owner, lease, clock) = (owner, lease, app.clock)
        _ = try? await app.store.transaction { tx in
            try tx.acquireLock(name: Self.name, owner: owner, until: clock.now.addingTimeInterval(lease.timeInterval), now: clock.now)
        }
    }

    /// Lets another daemon start at once; best effort (otherwise the lease runs out).
    func release() async {
        guard applies else { return }
        let owner = owner
        try? await app.store.transaction { try $0.releaseLock(name: Self.name, owner: owner) }
    }
}
