import Foundation
import Logging
import RotorCore
import RotorCrypto
import Synchronization

/// The company's own customer API keys.
///
/// Raw keys are never stored: only HMAC-SHA256(pepper, key) for lookup, a display prefix and the last
/// 4 characters. The pepper itself is sealed under the master key. A rotated key's successor is shown
/// once to the operator, or, when Rotor rotated it on its own, sealed into a one-time pickup slot that
/// the customer claims with the old key.
public final class KeyTable: Sendable {
    public static let pepperSetting = "key_table.pepper"

    let store: any Store
    let sealer: Sealer
    let clock: any RotorClock
    let policy: KeyTablePolicy
    let logger: Logger
    private let pepperCache = Mutex<[UInt8]?>(nil)

    public init(store: any Store, sealer: Sealer, clock: any RotorClock, policy: KeyTablePolicy = .init(),
                logger: Logger = Logger(label: "rotor.keys")) {
        self.store = store
        self.sealer = sealer
        self.clock = clock
        self.policy = policy
        self.logger = logger
    }

    // MARK: Hashing

    func pepper() async throws -> [UInt8] {
        if let cached = pepperCache.withLock({ $0 }) { return cached }
        let pepper = try await SealedSetting.loadOrCreate(Self.pepperSetting, store: store, sealer: sealer)
        pepperCache.withLock { $0 = pepper }
        return pepper
    }

    func hash(_ key: String, pepper: [UInt8]) -> [UInt8] {
        HMACSHA256.authenticate(key: pepper, message: Array(key.utf8))
    }

    /// Identifies a key in audit rows without revealing it: 8 hex characters of its lookup hash.
    static func fingerprint(_ record: APIKeyRecord) -> String { Hex.encode(record.keyHash.prefix(4)) }

    // MARK: Create

    /// Creates a key. The returned raw key is the only copy anywhere: show it once.
    public func create(org: String, name: String, scopes: [String], rateLimit: Int?, actor: String,
                       expiresAt: Date? = nil) async throws -> (record: APIKeyRecord, key: SecretValue) {
        try Self.validate(org: org, name: name, scopes: scopes, rateLimit: rateLimit)
        let pepper = try await pepper()
        let now = clock.now
        let raw = APIKeyFormat.generate()
        let record = APIKeyRecord(id: "key_" + Base62.randomString(length: 16), keyHash: hash(raw, pepper: pepper),
                                  prefix: APIKeyFormat.displayPrefix(raw), last4: APIKeyFormat.last4(raw), org: org,
                                  name: name, scopes: scopes, rateLimit: rateLimit, status: .active, createdAt: now,
                                  expiresAt: expiresAt)
        try await store.transaction { tx in
            try tx.insertAPIKey(record)
            try tx.appendAudit(Self.audit(record, action: "key.created", at: now, actor: actor, trigger: "manual"))
        }
        return (record, SecretValue(raw))
    }

    static func validate(org: String, name: String, scopes: [String], rateLimit: Int?) throws {
        let identifier = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/
        guard org.wholeMatch(of: identifier) != nil else {
            throw KeyTableError.invalidInput("org must be 1–128 letters, digits, '.', '_', ':' or '-', got \(org.debugDescription)")
        }
        guard !name.isEmpty, name.count <= 200, !name.contains(where: \.isNewline) else {
            throw KeyTableError.invalidInput("name must be 1–200 characters on one line")
        }
        for scope in scopes where scope.wholeMatch(of: identifier) == nil {
            throw KeyTableError.invalidInput("scope \(scope.debugDescription) is not a plain identifier")
        }
        if let rateLimit, rateLimit <= 0 { throw KeyTableError.invalidInput("rate limit must be a positive number") }
    }

    // MARK: Verify

    /// Checks a presented key: shape and checksum first (no lookup), then one index lookup by hash.
    /// Records the last use, at most once a minute per key so verification stays a read.
    public func verify(_ key: String) async throws -> KeyVerification {
        if let problem = APIKeyFormat.check(key) {
            return .invalid(problem == .badFormat ? .badFormat : .badChecksum)
        }
        let keyHash = hash(key, pepper: try await pepper())
        let now = clock.now
        let policy = self.policy
        return try await store.transaction { tx in
            guard let record = try tx.apiKey(hash: keyHash) else { return .invalid(.unknown) }
            switch record.status {
            case .revoked:
                return .invalid(.revoked)
            case .grace where (record.graceEndsAt ?? .distantPast) <= now && !Self.extendable(record, policy):
                return .invalid(.revoked)
            default:
                if let expires = record.expiresAt, expires <= now { return .invalid(.revoked) }
            }
            if (record.lastUsedAt ?? .distantPast).addingTimeInterval(60) <= now {
                try tx.touchAPIKey(id: record.id, at: now)
            }
            return .valid(record)
        }
    }

    /// A grace key past its end that `tick` has not handled yet stays valid only if it would be extended.
    static func extendable(_ record: APIKeyRecord, _ policy: KeyTablePolicy) -> Bool {
        guard let window = policy.revokeWhenUnused, let used = record.lastUsedAt, let ends = record.graceEndsAt else { return false }
        return used >= ends.addingTimeInterval(-window.timeInterval)
    }

    // MARK: Rotate

    /// What a rotation produced. `newKey` is set only when the operator asked (manual rotation): print it once.
    public struct Rotation: Sendable {
        public var old: APIKeyRecord
        public var new: APIKeyRecord
        public var newKey: SecretValue?
        public var graceEndsAt: Date
        public var pickupID: String?
    }

    /// Rotates key `id`: a new key with the same org, name, scopes and rate limit; the old one moves to
    /// `grace` until the grace end. `deliverByPickup` seals the new key into a one-time slot for the
    /// customer instead of returning it (rotations Rotor starts on its own).
    public func rotate(id: String, grace: Duration? = nil, trigger: RotationTrigger, actor: String, reason: String?,
                       deliverByPickup: Bool) async throws -> Rotation {
        let pepper = try await pepper()
        let now = clock.now
        let graceEnds = now.addingTimeInterval((grace ?? (trigger == .emergency ? policy.emergencyGrace : policy.grace)).timeInterval)
        let raw = APIKeyFormat.generate()
        let newID = "key_" + Base62.randomString(length: 16)
        let pickupID = deliverByPickup ? "pku_" + Base62.randomString(length: 16) : nil
        let sealedPickup = try pickupID.map { try sealer.seal(Array(raw.utf8), context: SealingContext.pickup(id: $0)) }
        let result = try await store.transaction { tx -> Rotation in
            guard var old = try tx.apiKey(id: id) else { throw KeyTableError.unknownKey(id) }
            guard old.status == .active else { throw KeyTableError.notActive(id: id, status: old.status) }
            let new = APIKeyRecord(id: newID, keyHash: self.hash(raw, pepper: pepper), prefix: APIKeyFormat.displayPrefix(raw),
                                   last4: APIKeyFormat.last4(raw), org: old.org, name: old.name, scopes: old.scopes,
                                   rateLimit: old.rateLimit, status: .active, createdAt: now, rotatedFrom: old.id)
            old.status = .grace
            old.graceEndsAt = graceEnds
            // The hard cap on any later extension for a key still in use (see `revoke_when_unused`).
            let cap = max(graceEnds, now.addingTimeInterval((self.policy.maxGrace ?? .zero).timeInterval))
            old.expiresAt = min(old.expiresAt ?? cap, cap)
            // Another process (a second daemon, an operator) may have rotated or revoked it since it was read.
            guard try tx.updateAPIKey(old, ifStatus: .active) else {
                throw KeyTableError.notActive(id: id, status: try tx.apiKey(id: id)?.status ?? .revoked)
            }
            try tx.insertAPIKey(new)
            if let pickupID, let sealedPickup {
                try tx.insertPickup(KeyPickupRecord(id: pickupID, newKeyID: newID, oldKeyID: old.id, sealedKey: sealedPickup.box,
                                                    masterKeyID: sealedPickup.keyID, createdAt: now, expiresAt: graceEnds))
            }
            for notice in Self.rotatedNotice(old: old, new: new, graceEnds: graceEnds, pickup: pickupID != nil,
                                             urgent: trigger == .emergency, channels: self.policy.noticeChannels, at: now) {
                try tx.enqueueNotification(notice)
            }
            var event = Self.audit(new, action: "key.rotated", at: now, actor: actor, trigger: trigger.rawValue)
            event.oldFingerprint = Self.fingerprint(old)
            event.oldLast4 = old.last4
            event.reason = reason
            event.detail = "old key \(old.id) valid until \(ISO8601.string(graceEnds))"
            try tx.appendAudit(event)
            return Rotation(old: old, new: new, newKey: deliverByPickup ? nil : SecretValue(raw), graceEndsAt: graceEnds,
                            pickupID: pickupID)
        }
        return result
    }

    /// The customer's notice of a rotated key, one row per channel of the key-table policy.
    static func rotatedNotice(old: APIKeyRecord, new: APIKeyRecord, graceEnds: Date, pickup: Bool, urgent: Bool,
                              channels: [String], at now: Date) -> [NotificationRecord] {
        let how = pickup
            ? "Claim the new key with your current key (it works until then): POST /v1/keys/claim, or `rotor keys claim --old-key-stdin`."
            : "Your administrator has the new key."
        return customerNotices(
            org: old.org, channels: channels, kind: "key_rotated", urgent: urgent,
            subject: "\(urgent ? "[URGENT] " : "")API key \(old.prefix)…\(old.last4) was rotated",
            body: "Your API key \"\(old.name)\" (\(old.prefix)…\(old.last4)) was rotated. The new key starts with \(new.prefix) "
                + "and ends with \(new.last4). The old key keeps working until \(ISO8601.string(graceEnds)). \(how)",
            dedupe: "key_rotated:\(old.id):\(new.id)", at: now)
    }

    /// A notice to the customers of `org` on each of `channels`, deduplicated per channel.
    static func customerNotices(org: String, channels: [String], kind: String, urgent: Bool, subject: String, body: String,
                                dedupe: String, at now: Date) -> [NotificationRecord] {
        channels.map { channel in
            NotificationRecord(id: "ntf_" + Base62.randomString(length: 16), channel: channel, org: org, secretName: nil,
                               kind: kind, urgent: urgent, subject: subject, body: body,
                               dedupeKey: channels.count == 1 ? dedupe : "\(dedupe):\(channel)", status: .pending, attempts: 0,
                               nextAttemptAt: now, createdAt: now)
        }
    }

    // MARK: Revoke

    public func revoke(id: String, reason: String, actor: String) async throws -> APIKeyRecord {
        guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else { throw KeyTableError.invalidInput("a reason is required") }
        let now = clock.now
        return try await store.transaction { tx in
            guard var key = try tx.apiKey(id: id) else { throw KeyTableError.unknownKey(id) }
            guard key.status != .revoked else { return key }
            key.status = .revoked
            key.revokedAt = now
            key.revokeReason = reason
            try tx.updateAPIKey(key)
            var event = Self.audit(key, action: "key.revoked", at: now, actor: actor, trigger: "manual")
            event.reason = reason
            try tx.appendAudit(event)
            return key
        }
    }

    // MARK: Claim

    /// Hands the customer the new key of a Rotor-started rotation, in exchange for the old key (which
    /// must still be valid). The slot is wiped on claim: a second claim finds nothing.
    public func claim(oldKey: String, actor: String) async throws -> (record: APIKeyRecord, key: SecretValue) {
        let verification = try await verify(oldKey)
        guard verification.valid, let oldID = verification.keyID else {
            throw KeyTableError.claimRefused("the old key is not valid (\(verification.reason?.rawValue ?? "unknown"))")
        }
        let now = clock.now
        let claimed = try await store.transaction { tx -> (KeyPickupRecord, APIKeyRecord)? in
            guard let pickup = try tx.pickup(oldKeyID: oldID) else {
                throw KeyTableError.claimRefused("no new key is waiting for this key (already claimed, expired, or never rotated by Rotor)")
            }
            // Wiped either way; an expired slot is refused after the wipe is committed. A concurrent claim that
            // read the same slot and wiped it first wins: this one gets nothing.
            guard try tx.wipePickup(id: pickup.id, claimedAt: now) else {
                throw KeyTableError.claimRefused("the new key was already claimed")
            }
            if pickup.expiresAt <= now { return nil }
            guard let record = try tx.apiKey(id: pickup.newKeyID) else { throw KeyTableError.unknownKey(pickup.newKeyID) }
            try tx.appendAudit(Self.audit(record, action: "key.claimed", at: now, actor: actor, trigger: "manual"))
            return (pickup, record)
        }
        guard let (pickup, record) = claimed else {
            throw KeyTableError.claimRefused("the pickup slot had expired and was wiped; ask your administrator for a new key")
        }
        let bytes = try sealer.open(SealedValue(keyID: pickup.masterKeyID, box: pickup.sealedKey),
                                    context: SealingContext.pickup(id: pickup.id))
        return (record, SecretValue(bytes: bytes))
    }

    // MARK: Lists

    public func list(org: String?, status: APIKeyStatus?, limit: Int = 1000, afterID: String? = nil) async throws -> [APIKeyRecord] {
        try await store.transaction { try $0.apiKeys(org: org, status: status, limit: limit, afterID: afterID) }
    }

    public func key(id: String) async throws -> APIKeyRecord? {
        try await store.transaction { try $0.apiKey(id: id) }
    }

    public func keys(prefix: String) async throws -> [APIKeyRecord] {
        try await store.transaction { try $0.apiKeys(prefix: prefix) }
    }

    static func audit(_ record: APIKeyRecord, action: String, at: Date, actor: String, trigger: String) -> AuditEvent {
        AuditEvent(at: at, subject: record.id, subjectKind: "api_key", action: action, newFingerprint: fingerprint(record),
                   newLast4: record.last4, trigger: trigger, actor: actor, outcome: "succeeded",
                   detail: "org \(record.org), prefix \(record.prefix)")
    }
}
