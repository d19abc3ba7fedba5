/// Runs `body`, then `cleanup`, whether `body` returned or threw. Cleanup is awaited, unlike a `Task` started
/// from a `defer`: nothing a test set up (a database, a server, a libpq connection) outlives the test and
/// races the process's exit.
public func withCleanup<T>(_ cleanup: () async -> Void, _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        await cleanup()
        return result
    } catch {
        await cleanup()
        throw error
    }
}
