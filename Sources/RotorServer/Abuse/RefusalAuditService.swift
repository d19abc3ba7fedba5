import ServiceLifecycle

/// Writes the aggregated refusal rows of ``FailureGuard`` once a window, and the open ones when the
/// service stops, so that a flood that ends is still counted in the audit log.
struct RefusalAuditService: Service {
    let failures: FailureGuard
    let interval: Duration
    let onError: @Sendable (any Error) -> Void

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            // Real time, not the service clock: a test clock that stands still must not make this spin.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            do { try await failures.closeWindows() } catch { onError(error) }
        }
        do { try await failures.closeAll() } catch { onError(error) }
    }
}
