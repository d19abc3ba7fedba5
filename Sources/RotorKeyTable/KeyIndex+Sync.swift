import Foundation
import RotorCore

extension KeyIndex {
    /// How often the change counter is read when the feed does not announce changes (SQLite), and at the
    /// latest when it does (PostgreSQL, as a safety net for a lost announcement).
    public static let pollInterval = Duration.milliseconds(200)
    /// How often batched uses are written, by default.
    public static let defaultFlushInterval = Duration.seconds(1)

    /// Reads every key written since the last read and applies it. Cheap when nothing changed: one read of the
    /// counter. Safe to call concurrently (a key's older row never replaces a newer one).
    public func refresh() async throws {
        let after = state.withLock { $0.sequence }
        let changes = try await feed.changes(after: after)
        if changes.sequence != after { apply(changes) }
    }

    /// Follows the feed and writes batched uses until the task is cancelled, then writes what is left and
    /// closes the feed. Errors are logged and retried on the next turn: the index keeps answering from memory.
    public func run() async {
        let clock = ContinuousClock()
        var lastFlush = clock.now
        var failing = false
        while !Task.isCancelled {
            await feed.waitForChange(timeout: Self.pollInterval)
            if Task.isCancelled { break }
            do {
                try await refresh()
                if failing { logger.info("the key index follows the store again") }
                failing = false
            } catch {
                if !failing { logger.error("the key index cannot read key changes; answering from memory", metadata: ["error": "\(error)"]) }
                failing = true
                try? await Task.sleep(for: Self.pollInterval)
            }
            if clock.now - lastFlush >= flushInterval {
                await flush()
                lastFlush = clock.now
            }
        }
        await flush()
        await feed.close()
    }
}

extension KeyTable {
    /// This key table with an in-memory index of every key, loaded from `feed` now: its verifications open no
    /// store transaction, and its own writes reach the index before they return. Run ``KeyIndex/run()`` to
    /// follow the writes of other processes and to write the batched uses every `flushInterval`.
    public func indexed(feed: any APIKeyChangeFeed, alertChannels: [String] = [],
                        flushInterval: Duration = KeyIndex.defaultFlushInterval) async throws -> KeyTable {
        let index = KeyIndex(feed: feed, store: store, pepper: try await pepper(), clock: clock, policy: policy,
                             alertChannels: alertChannels, flushInterval: flushInterval, logger: logger)
        try await index.refresh()
        logger.debug("loaded the key index", metadata: ["keys": "\(index.count)"])
        return KeyTable(store: store, sealer: sealer, clock: clock, policy: policy, logger: logger, index: index)
    }
}
