import Dispatch
@testable import ProviderPostgresRole
import Synchronization

/// A connection held open across awaits, as a client's pooled connection is: it lives on its own thread
/// (libpq blocks) and runs the statements the test sends it, one at a time.
final class HeldConnection: Sendable {
    private typealias Job = (sql: String?, reply: CheckedContinuation<[[String?]], any Error>)
    private struct State {
        var jobs: [Job] = []
        var failure: (any Error)?
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    private init() {}

    /// Connects with `url` and returns once the connection answered a first query.
    static func open(_ url: String) async throws -> HeldConnection {
        let held = HeldConnection()
        Task.detached {
            do {
                try await PostgresSession.run(.uri(url, name: "the held connection")) { session in held.serve(session) }
            } catch {
                held.fail(error)
            }
        }
        _ = try await held.query("SELECT 1")
        return held
    }

    /// Runs `sql` on the held connection.
    func query(_ sql: String) async throws -> [[String?]] {
        try await submit(sql)
    }

    /// Closes the connection.
    func close() async {
        _ = try? await submit(nil)
    }

    private func submit(_ sql: String?) async throws -> [[String?]] {
        try await withCheckedThrowingContinuation { continuation in
            let failure: (any Error)? = state.withLock { state in
                if let failure = state.failure { return failure }
                state.jobs.append((sql, continuation))
                return nil
            }
            if let failure { continuation.resume(throwing: failure) } else { wake.signal() }
        }
    }

    /// The connection thread's loop: runs jobs until asked to close.
    private func serve(_ session: PostgresSession) {
        while true {
            wake.wait()
            guard let job = state.withLock({ $0.jobs.isEmpty ? nil : $0.jobs.removeFirst() }) else { continue }
            guard let sql = job.sql else {
                fail(ConnectionClosed())
                job.reply.resume(returning: [])
                return
            }
            job.reply.resume(with: Result { try session.execute(sql) })
        }
    }

    private func fail(_ error: any Error) {
        let waiting = state.withLock { state in
            state.failure = state.failure ?? error
            defer { state.jobs.removeAll() }
            return state.jobs
        }
        for job in waiting { job.reply.resume(throwing: error) }
    }

    struct ConnectionClosed: Error {}
}
