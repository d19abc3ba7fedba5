import Foundation
import Hummingbird
import Logging
import RotorCore
import RotorCrypto

/// Hummingbird's key/value persistence in Rotor's store, where the dashboard keeps its sessions: they survive a
/// restart, and daemons sharing a PostgreSQL store share them.
///
/// The database never sees a key or a value in clear. A row is found by the SHA-256 of its key (the key holds the
/// cookie's session id), and holds the value's JSON sealed under the master key, bound to that hash: someone who
/// can write to the database but does not hold the master key cannot read a session, forge one (e.g. to make
/// themselves an operator) or move one under another key. A row that does not open is treated as absent.
///
/// Expiry goes by the service's clock. Every write first prunes up to ``pruneBatch`` expired rows, so the table
/// holds about as many rows as there are live sessions, at a bounded cost per write.
struct StorePersistDriver: PersistDriver {
    static let pruneBatch = 100

    let store: any Store
    let sealer: Sealer
    let clock: any RotorClock
    let logger: Logger

    func create<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let now = clock.now
        let record = try seal(value, key: key, expires: expires, now: now)
        let created = try await store.transaction { tx in
            try tx.deleteExpiredSessions(now: now, limit: Self.pruneBatch)
            return try tx.insertSession(record, now: now)
        }
        guard created else { throw PersistError.duplicate }
    }

    func set<Object: Codable & Sendable>(key: String, value: Object, expires: Duration?) async throws {
        let now = clock.now
        let record = try seal(value, key: key, expires: expires, now: now)
        try await store.transaction { tx in
            try tx.deleteExpiredSessions(now: now, limit: Self.pruneBatch)
            try tx.upsertSession(record)
        }
    }

    func get<Object: Codable & Sendable>(key: String, as type: Object.Type) async throws -> Object? {
        let keyHash = Self.keyHash(key)
        let now = clock.now
        guard let record = try await store.transaction({ try $0.session(keyHash: keyHash, now: now) }) else { return nil }
        let json: [UInt8]
        do {
            json = try sealer.open(SealedValue(keyID: record.masterKeyID, box: record.sealedValue),
                                   context: SealingContext.session(keyHash: keyHash))
        } catch {
            // Edited, forged, moved from another key, or sealed under a key this process does not hold. The error
            // names at most a key id; the hash prefix lets an operator find the row.
            logger.warning("a stored dashboard session does not open; it is treated as absent",
                           metadata: ["key_hash": "\(keyHash.prefix(12))…", "error": "\(error)"])
            return nil
        }
        do {
            return try JSONDecoder().decode(Object.self, from: Data(json))
        } catch {
            throw PersistError.invalidConversion
        }
    }

    func remove(key: String) async throws {
        let keyHash = Self.keyHash(key)
        try await store.transaction { try $0.deleteSession(keyHash: keyHash) }
    }

    /// The row's key: the SHA-256 (hex) of the persist key, which holds the cookie's session id.
    static func keyHash(_ key: String) -> String {
        SHA256.hex(Array(key.utf8))
    }

    private func seal<Object: Encodable>(_ value: Object, key: String, expires: Duration?, now: Date) throws -> SessionRecord {
        let keyHash = Self.keyHash(key)
        let json = try JSONEncoder().encode(value)
        let sealed = try sealer.seal(Array(json), context: SealingContext.session(keyHash: keyHash))
        return SessionRecord(keyHash: keyHash, sealedValue: sealed.box, masterKeyID: sealed.keyID,
                             expiresAt: expires.map { now.addingTimeInterval($0.timeInterval) }, createdAt: now)
    }
}
