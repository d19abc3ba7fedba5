import Synchronization

/// Counts the work that parsing and schedule searches do on their input, so that tests can bound the work
/// done on hostile input instead of timing it (a timing bound fails on a loaded machine and passes on a
/// fast one whatever the code does).
///
/// Counting happens only while a counter is bound to `current`, which is per task: tests running in
/// parallel each see only their own work, and production code pays one task-local read per count.
package final class WorkCounter: Sendable {
    /// What is counted.
    package enum Kind: Hashable, Sendable {
        /// Documents handed to Yams to compose (the playbook text, or the alias guard's alias-free copy).
        case yamlComposes
        /// Bytes of text handed to Yams to compose, summed over every compose.
        case yamlComposedBytes
        /// Nodes the alias guard visited while measuring what the aliases would expand to.
        case aliasGuardNodes
        /// Diagnostics whose message was built (not those dropped once the sink was full).
        case diagnosticsBuilt
        /// Bytes read from playbook files.
        case playbookBytesRead
        /// Steps of the cron search for the next firing.
        case cronSearchSteps
        /// Store transactions run (committed or not).
        case storeTransactions
        /// SQL statements sent to the database inside store transactions (one round trip each on PostgreSQL).
        case storeStatements
    }

    /// The counter that work done by this task is added to, if any.
    @TaskLocal package static var current: WorkCounter?

    private let counts = Mutex<[Kind: Int]>([:])

    package init() {}

    /// The work of `kind` counted so far.
    package subscript(kind: Kind) -> Int {
        counts.withLock { $0[kind, default: 0] }
    }

    /// Adds `amount` units of `kind` to the bound counter; nothing when none is bound.
    package static func add(_ kind: Kind, by amount: Int = 1) {
        current?.counts.withLock { $0[kind, default: 0] += amount }
    }

    /// Runs `body` with a fresh counter bound; returns its result and the work it did.
    package static func measure<T>(_ body: () throws -> T) rethrows -> (T, WorkCounter) {
        let counter = WorkCounter()
        let result = try $current.withValue(counter) { try body() }
        return (result, counter)
    }
}
