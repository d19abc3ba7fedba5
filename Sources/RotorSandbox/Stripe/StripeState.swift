import Foundation
import RotorCrypto

/// Stripe's secret keys as vendor-keys.md "Stripe" describes them: no API creates or rolls one; the owner rolls a key
/// in the Dashboard (here an admin call) and chooses when the old one expires (at once, or up to 7 days later).
struct StripeState: Sendable {
    struct Key: Sendable {
        var value: String
        var createdAt: Date
        /// Set when the key was rolled: it works until then.
        var expiresAt: Date?

        func isLive(at now: Date) -> Bool { expiresAt.map { now < $0 } ?? true }
    }

    /// The longest the Dashboard lets an old key live after a roll.
    static let maxExpiry: TimeInterval = 7 * 86_400

    private(set) var keys: [Key]

    /// One live key, as a new account has.
    init(now: Date) {
        keys = [Key(value: Self.newValue(), createdAt: now)]
    }

    static func newValue() -> String { "rk_test_" + Base62.randomString(length: 32) }

    /// Whether `value` is a key of this account that works at `now`.
    func isLive(_ value: String, at now: Date) -> Bool {
        keys.contains { $0.value == value && $0.isLive(at: now) }
    }

    /// The Dashboard's "Roll key": a new key, and the newest live one expires `expiresIn` from now (0: at once).
    mutating func roll(expiresIn: TimeInterval, now: Date) throws(SandboxError) -> (key: Key, oldExpiresAt: Date?) {
        guard (0...Self.maxExpiry).contains(expiresIn) else {
            throw SandboxError("expires_in_seconds must be from 0 to \(Int(Self.maxExpiry)) (the Dashboard allows up to 7 days)")
        }
        var oldExpiry: Date?
        if let index = keys.lastIndex(where: { $0.expiresAt == nil }) {
            keys[index].expiresAt = now.addingTimeInterval(expiresIn)
            oldExpiry = keys[index].expiresAt
        }
        let key = Key(value: Self.newValue(), createdAt: now)
        keys.append(key)
        return (key, oldExpiry)
    }
}
