import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import RotorCore
import RotorCrypto
import Synchronization

/// Every customer key by its lookup hash, in memory, so that a verification opens no store transaction.
///
/// Loaded at start from an ``APIKeyChangeFeed`` and kept current by following it (see `KeyIndex+Sync.swift`):
/// a key written by any process is seen within a poll interval. Time-based ends (grace, expiry) are decided at
/// lookup against the clock, not by a reload. Uses are kept here and written in batches: last uses (for
/// `revoke_when_unused`) and uses of revoked or expired keys, which also alert (see `KeyIndex+Flush.swift`).
public final class KeyIndex: Sendable {
    /// What a lookup reads: the fields the decision needs, inline, and one reference to the rest, so that
    /// reading an entry costs one retain.
    struct Entry: Sendable {
        var status: APIKeyStatus
        var graceEndsAt: Date?
        var expiresAt: Date?
        var lastUsedAt: Date?
        /// The change that wrote this version of the row: an older version never replaces a newer one.
        var sequence: Int64
        let held: Held

        init(_ record: APIKeyRecord, sequence: Int64) {
            status = record.status
            graceEndsAt = record.graceEndsAt
            expiresAt = record.expiresAt
            lastUsedAt = record.lastUsedAt
            self.sequence = sequence
            held = Held(record: record, answer: KeyAnswer(.valid(record)))
        }
    }

    /// The row as read and the answer while the key verifies.
    final class Held: Sendable {
        let record: APIKeyRecord
        let answer: KeyAnswer

        init(record: APIKeyRecord, answer: KeyAnswer) {
            self.record = record
            self.answer = answer
        }
    }

    /// A revoked or expired key presented since the last flush.
    struct OldUse: Sendable {
        var record: APIKeyRecord
        var count: Int
        var last: Date
    }

    struct State: Sendable {
        var entries: [KeyDigest: Entry] = [:]
        /// The change counter the entries reflect.
        var sequence: Int64 = -1
        /// Last uses not written yet, by key id.
        var touches: [String: Date] = [:]
        var oldUses: [String: OldUse] = [:]
    }

    let feed: any APIKeyChangeFeed
    let store: any Store
    let hmac: HMACSHA256Key
    let clock: any RotorClock
    let policy: KeyTablePolicy
    /// rotor.yml's `alerts:` channels, told (with the key's org) when an old key is used.
    let alertChannels: [String]
    let logger: Logger
    /// How often batched uses are written while ``run()`` runs.
    let flushInterval: Duration
    let state = Mutex(State())
    /// Whether `clock` is the system's (not a test's): then ``now()`` may read the cheaper coarse clock.
    let systemTime: Bool

    init(feed: any APIKeyChangeFeed, store: any Store, pepper: [UInt8], clock: any RotorClock, policy: KeyTablePolicy,
         alertChannels: [String], flushInterval: Duration, logger: Logger) {
        self.feed = feed
        self.store = store
        hmac = HMACSHA256Key(pepper)
        self.clock = clock
        systemTime = clock is SystemClock
        self.policy = policy
        self.alertChannels = alertChannels
        self.flushInterval = flushInterval
        self.logger = logger
    }

    /// How many keys the index holds (every status).
    public var count: Int { state.withLock { $0.entries.count } }

    // MARK: The hot path

    /// Verifies a presented key given as UTF-8 bytes: shape and checksum, one HMAC with the pre-keyed context,
    /// one lookup under a short lock. Records the use in memory; nothing here waits for the store.
    public func check(utf8 key: UnsafeRawBufferPointer) -> KeyAnswer {
        if let problem = APIKeyFormat.check(utf8: key) { return problem == .badFormat ? .badFormat : .badChecksum }
        let digest = withUnsafeTemporaryAllocation(byteCount: HMACSHA256.byteCount, alignment: 8) { output in
            hmac.authenticate(key, into: output)
            return KeyDigest(UnsafeRawBufferPointer(output))
        }
        return lookup(digest, at: now())
    }

    /// The time a lookup decides by. On the system clock it is the kernel's coarse realtime clock (a few
    /// milliseconds of resolution, a third of the cost); grace and expiry are minutes to days long.
    func now() -> Date {
        guard systemTime else { return clock.now }
        var time = timespec()
        clock_gettime(CLOCK_REALTIME_COARSE, &time)
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }

    /// Verifies a presented key.
    public func check(_ key: String) -> KeyAnswer {
        var key = key
        return key.withUTF8 { check(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// The answer for `digest` at `now`, with the use recorded: a last use at most once a minute per key (as
    /// the store path does), every use of a revoked or expired key.
    func lookup(_ digest: KeyDigest, at now: Date) -> KeyAnswer {
        state.withLock { state in
            guard let position = state.entries.index(forKey: digest) else { return .unknown }
            // Fields read in place: no copy of the entry, no reference counted but the answer's.
            let status = state.entries.values[position].status
            let lastUsedAt = state.entries.values[position].lastUsedAt
            if let reason = KeyTable.refusal(status: status, graceEndsAt: state.entries.values[position].graceEndsAt,
                                             expiresAt: state.entries.values[position].expiresAt, lastUsedAt: lastUsedAt,
                                             at: now, policy: policy) {
                Self.countOldUse(state.entries.values[position], at: now, in: &state)
                return .refused(reason)
            }
            if (lastUsedAt ?? .distantPast).addingTimeInterval(60) <= now {
                state.entries.values[position].lastUsedAt = now
                state.touches[state.entries.values[position].held.record.id] = now
            }
            return state.entries.values[position].held.answer
        }
    }

    private static func countOldUse(_ entry: Entry, at now: Date, in state: inout State) {
        var record = entry.held.record
        record.lastUsedAt = entry.lastUsedAt
        if var use = state.oldUses[record.id] {
            use.count += 1
            use.last = max(use.last, now)
            state.oldUses[record.id] = use
        } else {
            state.oldUses[record.id] = OldUse(record: record, count: 1, last: now)
        }
    }

    // MARK: Applying changes

    /// Applies keys read from the feed; a row older than the one held (a slower concurrent read) is ignored.
    func apply(_ changes: APIKeyChanges) {
        let fresh = changes.keys.compactMap { change -> (KeyDigest, Entry)? in
            KeyDigest(change.record.keyHash).map { ($0, Entry(change.record, sequence: change.sequence)) }
        }
        state.withLock { state in
            for (digest, var entry) in fresh {
                if let held = state.entries[digest] {
                    guard held.sequence < entry.sequence else { continue }
                    // A use seen here and not yet written must not be forgotten by a reload.
                    if let used = held.lastUsedAt, used > (entry.lastUsedAt ?? .distantPast) { entry.lastUsedAt = used }
                }
                state.entries[digest] = entry
            }
            state.sequence = max(state.sequence, changes.sequence)
        }
    }
}
