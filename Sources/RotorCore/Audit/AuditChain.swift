import Foundation
import RotorCrypto

/// The audit log's hash chain, version 1: each row's `hash` is SHA-256 over the previous row's hash and the row's
/// canonical content, and its `mac` is HMAC-SHA256 of that hash under the chain key, a random key sealed under the
/// master key (setting ``keySetting``), as Vault's audit devices HMAC their entries. Anyone can check the hashes
/// from an export; only a holder of the master key can make MACs, so write access to the database alone is not
/// enough to rebuild the chain after an edit.
///
/// Canonical content (documented in the README, so a few lines of any language can check an export):
/// the ASCII text `rotor-audit-v1`, then for each field below in this order a line feed and either `-` (no value)
/// or the value's UTF-8 byte count in decimal, `:`, and those bytes. Numbers are decimal text.
///
///     id, at (milliseconds since 1970, UTC), subject, subject_kind, action, old_fingerprint, old_last4,
///     new_fingerprint, new_last4, trigger, actor, reason, outcome, rotation_id, detail, simulated_now (0 or 1)
///
/// `hash = SHA-256(bytes of prev_hash || content)`, hex; the first row's `prev_hash` is ``genesis``.
/// Length prefixes make the encoding unambiguous: no two different rows have the same content.
public enum AuditChain {
    /// Names this encoding; a future change of the encoding gets a new version.
    public static let version = "rotor-audit-v1"
    /// The previous hash of the first row: 64 zeros.
    public static let genesis = String(repeating: "0", count: 64)
    /// The setting that holds the chain key, sealed under the master key (re-sealed by `rotor rekey`).
    public static let keySetting = "audit.chain_key"

    /// `date` as the store keeps it: whole milliseconds since 1970, rounded.
    public static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// The canonical content of `event` (its `id` must be set; a missing id encodes as no value).
    public static func content(of event: AuditEvent) -> [UInt8] {
        var out = Array(version.utf8)
        out.reserveCapacity(256)
        func field(_ value: String?) {
            out.append(0x0A)
            guard let value else { out.append(UInt8(ascii: "-")); return }
            let bytes = Array(value.utf8)
            out += Array(String(bytes.count).utf8)
            out.append(UInt8(ascii: ":"))
            out += bytes
        }
        let e = event
        for value in [e.id.map { String($0) }, String(milliseconds(e.at)), e.subject, e.subjectKind, e.action, e.oldFingerprint,
                      e.oldLast4, e.newFingerprint, e.newLast4, e.trigger, e.actor, e.reason, e.outcome, e.rotationID, e.detail,
                      e.simulatedNow ? "1" : "0"] {
            field(value)
        }
        return out
    }

    /// Hex SHA-256 of `prevHash`'s bytes followed by `content`; nil when `prevHash` is not 64 hex digits.
    public static func hash(prevHash: String, content: [UInt8]) -> String? {
        guard prevHash.utf8.count == 64, let previous = Hex.decode(prevHash) else { return nil }
        return SHA256.hex(previous + content)
    }

    /// Hex HMAC-SHA256 of the hash's bytes under the chain key.
    public static func mac(hash: String, key: HMACSHA256Key) -> String {
        Hex.encode(key.authenticate(Hex.decode(hash) ?? Array(hash.utf8)))
    }

    /// `event` (with its id) linked after `prevHash`, with a MAC when `key` is given.
    public static func link(_ event: AuditEvent, after prevHash: String, key: HMACSHA256Key?) -> ChainedAuditEvent {
        let hash = self.hash(prevHash: prevHash, content: content(of: event)) ?? genesis
        return ChainedAuditEvent(event: event, prevHash: prevHash, hash: hash, mac: key.map { mac(hash: hash, key: $0) })
    }
}
