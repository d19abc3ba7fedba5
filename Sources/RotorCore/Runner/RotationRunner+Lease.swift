import Foundation

extension RotationRunner {
    /// Runs `body` (a batch of steps) while renewing `lease` every ``Configuration/heartbeatInterval``, so a step
    /// slower than the lease (a deploy of several minutes) never lets it lapse. When a renewal finds the lease
    /// taken over, the batch is cancelled (its in-flight effects with it) and ``RunnerError/Code/leaseLost`` thrown.
    func withHeartbeat<T: Sendable>(_ lease: RotationLease, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await heartbeat(lease)
                return nil
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let result { return result }
            }
            throw CancellationError()
        }
    }

    /// Renews the lease until cancelled; throws only when the lease was lost. A store that fails for a moment is
    /// logged and tried again at the next beat: the lease still has two thirds of its time.
    private func heartbeat(_ lease: RotationLease) async throws {
        while true {
            try await Task.sleep(for: configuration.heartbeatInterval)
            do {
                let until = try await renew(lease)
                configuration.onLeaseRenewed?(until)
            } catch let error as RunnerError where error.code == .leaseLost {
                logger.error("lost the lease while steps were in flight; cancelling them",
                             metadata: ["rotation": "\(lease.rotationID)"])
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.warning("could not renew the lease", metadata: ["rotation": "\(lease.rotationID)", "error": "\(error)"])
            }
        }
    }

    /// Extends `lease` by ``Configuration/leaseDuration`` from now; returns the new expiry.
    func renew(_ lease: RotationLease) async throws -> Date {
        let until = clock.now.addingTimeInterval(configuration.leaseDuration.timeInterval)
        try await fenced(lease) { tx in try tx.updateRotation(lease, RotationChange(lease: .renew(until: until))) }
        return until
    }

    /// A store transaction of the holder of `lease`; a lost lease comes out as ``RunnerError/Code/leaseLost``.
    func fenced<T: Sendable>(_ lease: RotationLease,
                             _ body: @escaping @Sendable (any StoreTransaction) throws -> T) async throws -> T {
        do {
            return try await store.transaction(body)
        } catch let error as StoreError where error.code == .leaseLost {
            throw RunnerError.leaseLost(rotationID: lease.rotationID, owner: "another process")
        }
    }

    /// Gives the lease up after an abort (cancellation), so a restarted process resumes the rotation at once.
    /// Best effort: a lease that cannot be released simply expires.
    func release(_ lease: RotationLease) async {
        let now = clock.now
        _ = try? await store.transaction { tx in
            try tx.updateRotation(lease, RotationChange(lease: .release, updatedAt: now))
        }
    }

    /// True when `error` means "stop here, write nothing more": the lease was lost or the task was cancelled.
    static func isAbort(_ error: any Error) -> Bool {
        if error is CancellationError || Task.isCancelled { return true }
        if let error = error as? RunnerError { return error.code == .leaseLost }
        if let error = error as? StoreError { return error.code == .leaseLost }
        return false
    }
}
