import Synchronization

/// Awaits `operation` for at most `limit`, and returns nil if it has not finished by then. The operation is
/// left running in that case: a test must fail on code that hangs, not hang with it.
func bounded<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
    let once = Mutex<CheckedContinuation<T?, any Error>?>(nil)
    let finish: @Sendable (Result<T?, any Error>) -> Void = { result in
        once.withLock { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }
    return try await withCheckedThrowingContinuation { continuation in
        once.withLock { $0 = continuation }
        Task {
            do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: limit)
            finish(.success(nil))
        }
    }
}
