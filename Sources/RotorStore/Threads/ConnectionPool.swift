import RotorCore

/// Lends connection threads to transactions, one transaction per connection at a time.
///
/// A transaction that finds every connection busy waits (in order of arrival) rather than queueing behind a
/// particular connection, so one slow transaction never holds up the others while a connection is free.
actor ConnectionPool<Connection> {
    private let threads: [ConnectionThread<Connection>]
    private var idle: [ConnectionThread<Connection>]
    private var waiters: [CheckedContinuation<ConnectionThread<Connection>, any Error>] = []
    private var closed = false

    init(threads: [ConnectionThread<Connection>]) {
        self.threads = threads
        self.idle = threads
    }

    /// Runs `body` on a free connection's thread, waiting for one if all are lent out.
    func withConnection<T: Sendable>(_ body: @escaping @Sendable (Connection) throws -> T) async throws -> T {
        let thread = try await acquire()
        defer { release(thread) }
        return try await thread.run(body)
    }

    /// Refuses new work, lets running transactions finish, and closes every connection.
    func close() async {
        guard !closed else { return }
        closed = true
        let waiting = waiters
        waiters.removeAll()
        for waiter in waiting {
            waiter.resume(throwing: StoreError.connectionFailed("the store was closed while a transaction waited for a connection"))
        }
        for thread in threads {
            await thread.stop()
        }
    }

    private func acquire() async throws -> ConnectionThread<Connection> {
        guard !closed else { throw StoreError.connectionFailed("the store is closed") }
        if let thread = idle.popLast() { return thread }
        return try await withCheckedThrowingContinuation { waiters.append($0) }
    }

    private func release(_ thread: ConnectionThread<Connection>) {
        if !waiters.isEmpty {
            waiters.removeFirst().resume(returning: thread)
        } else {
            idle.append(thread)
        }
    }
}
