import Foundation
import RotorCore

/// A thread that owns one database connection and runs jobs on it, one at a time, in order.
///
/// Database client calls (`sqlite3_step`, `PQexecParams`) block; they must never run on Swift's cooperative
/// thread pool. Every such call goes through ``run(_:)``, which hands the job to this thread and suspends the
/// caller on a continuation until the job is done. The connection is created on the thread and never leaves it,
/// so it need not be Sendable.
///
/// `@unchecked Sendable`: every mutable property (`jobs`, `head`, `accepting`, `stopped`, `finished`) is read and
/// written only while holding `condition`'s lock.
final class ConnectionThread<Connection>: @unchecked Sendable {
    private typealias Job = @Sendable (Connection) -> Void

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var accepting = true
    private var stopped: [CheckedContinuation<Void, Never>] = []
    private var finished = false
    private let name: String

    private init(name: String) {
        self.name = name
    }

    /// Starts a thread named `name` (at most 15 bytes: Linux drops longer thread names), opens its connection
    /// there with `open`, and returns once the connection is open; throws what `open` threw (and the thread ends).
    /// `close` runs on the thread when it is stopped.
    static func start(
        name: String,
        open: @escaping @Sendable () throws -> Connection,
        close: @escaping @Sendable (Connection) -> Void
    ) async throws -> ConnectionThread {
        let worker = ConnectionThread(name: name)
        try await withCheckedThrowingContinuation { (opened: CheckedContinuation<Void, any Error>) in
            // On Linux, Foundation names the OS thread only once start() has returned in the parent (and ignores a
            // name set before start()): the new thread waits for that before naming itself.
            let started = DispatchSemaphore(value: 0)
            let thread = Thread {
                started.wait()
                Thread.current.name = name
                let connection: Connection
                do {
                    connection = try open()
                } catch {
                    worker.refuseJobs()
                    opened.resume(throwing: error)
                    return
                }
                opened.resume()
                worker.serve(connection)
                close(connection)
                worker.finish()
            }
            thread.start()
            started.signal()
        }
        return worker
    }

    /// Runs `body` with the connection on this thread and returns its result.
    /// Throws ``StoreError/Code/connectionFailed`` if the thread was stopped.
    func run<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            let accepted = enqueue { connection in
                continuation.resume(with: Result { try body(connection) })
            }
            if !accepted {
                continuation.resume(throwing: StoreError.connectionFailed("the store is closed (\(name))"))
            }
        }
    }

    /// Lets the jobs already queued finish, closes the connection, and returns when the thread is done.
    func stop() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            condition.lock()
            if finished {
                condition.unlock()
                continuation.resume()
                return
            }
            accepting = false
            stopped.append(continuation)
            condition.signal()
            condition.unlock()
        }
    }

    /// Like ``stop()`` without waiting: the thread closes its connection and ends once its queue is empty.
    /// For deinitialisers, which cannot wait.
    func requestStop() {
        condition.lock()
        accepting = false
        condition.signal()
        condition.unlock()
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard accepting else { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// The thread's loop: runs jobs until stopped and the queue is empty.
    private func serve(_ connection: Connection) {
        while let job = nextJob() {
            job(connection)
        }
    }

    private func nextJob() -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while head == jobs.count && accepting {
            condition.wait()
        }
        guard head < jobs.count else {
            return nil
        }
        let job = jobs[head]
        head += 1
        if head == jobs.count {
            jobs.removeAll(keepingCapacity: true)
            head = 0
        }
        return job
    }

    private func refuseJobs() {
        condition.lock()
        accepting = false
        finished = true
        condition.unlock()
    }

    private func finish() {
        condition.lock()
        finished = true
        let waiting = stopped
        stopped.removeAll()
        condition.unlock()
        for continuation in waiting { continuation.resume() }
    }
}
