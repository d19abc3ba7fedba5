import Foundation
import RotorCrypto

/// The emulated key-issuing vendor: mint (idempotent per `Idempotency-Key`), revoke, whoami.
struct VendorState: Sendable {
    /// A mint remembered under its idempotency key: what was asked and what was answered.
    private struct Replay: Sendable {
        let requestFingerprint: String
        let keyId: String
    }

    private(set) var keys: [VendorKey] = []
    private var replays: [String: Replay] = [:]

    init(initialKey: String, now: Date) {
        keys = [VendorKey(id: SandboxID.make("key_", length: 16), value: initialKey, name: "initial", createdAt: now)]
    }

    /// Mints a key, or answers a repeated `Idempotency-Key` with the key it minted the first time.
    /// Returns the response body and whether it is a replay.
    mutating func mint(body: JSONValue?, idempotencyKey: String?, now: Date) throws(APIFailure) -> (JSONValue, replayed: Bool) {
        if let body {
            guard case .object = body else { throw APIFailure.plain(400, "invalid_request", "The body must be a JSON object.") }
            if let name = body["name"], name.stringValue == nil, !name.isNull {
                throw APIFailure.plain(400, "invalid_request", "`name` must be a string.")
            }
        }
        let fingerprint = Fingerprint.of(body?.serialized ?? "")
        if let idempotencyKey, let replay = replays[idempotencyKey] {
            guard replay.requestFingerprint == fingerprint else {
                throw APIFailure.plain(409, "idempotency_key_reused",
                                       "This Idempotency-Key was used with a different request body; use a new key for a new request.")
            }
            return (keys.first { $0.id == replay.keyId }!.minted, true)
        }
        let key = VendorKey(id: SandboxID.make("key_", length: 16), value: "sk-sandbox-" + Base62.randomString(length: 40),
                            name: body?["name"]?.stringValue, createdAt: now)
        keys.append(key)
        if let idempotencyKey { replays[idempotencyKey] = Replay(requestFingerprint: fingerprint, keyId: key.id) }
        return (key.minted, false)
    }

    /// Revokes a key. As real vendors do (OpenAI answers 404 for a deleted object), a key that is
    /// unknown or already revoked is not found: the second revoke answers 404, not 200.
    mutating func revoke(id: String, now: Date) throws(APIFailure) -> JSONValue {
        guard let index = keys.firstIndex(where: { $0.id == id && $0.isLive }) else {
            throw APIFailure.plain(404, "not_found", "No live key with id \(id): it does not exist or was already revoked.")
        }
        keys[index].revokedAt = now
        return ["id": .string(id), "object": "api_key", "revoked": true,
                "revoked_at": .int(Int(now.timeIntervalSince1970))]
    }

    /// The live key whose value is `value`, if any.
    func liveKey(value: String) -> VendorKey? {
        let bytes = Array(value.utf8)
        return keys.first { $0.isLive && ConstantTime.equals(Array($0.value.utf8), bytes) }
    }
}
