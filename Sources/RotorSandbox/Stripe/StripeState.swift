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

    /// What Stripe makes of a presented key.
    enum Verdict: Sendable, Equatable {
        case live
        /// A key of this account past the expiry its roll gave it.
        case expired
        /// Never issued here.
        case unknown
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
    func isLive(_ value: String, at now: Date) -> Bool { verdict(value, at: now) == .live }

    func verdict(_ value: String, at now: Date) -> Verdict {
        guard let key = keys.last(where: { $0.value == value }) else { return .unknown }
        return key.isLive(at: now) ? .live : .expired
    }

    /// The Dashboard's "Roll key": a new key, and the newest live one expires `expiresIn` from now (0: at once).
    mutating func roll(expiresIn: TimeInterval, now: Date) throws(SandboxError) -> (key: Key, oldExpiresAt: Date?) {
        guard (0...Self.maxExpiry).contains(expiresIn) else {
            throw SandboxError("the old key's expiry must be from now to \(Int(Self.maxExpiry)) seconds later (the Dashboard allows up to 7 days)")
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

    /// How Stripe's errors name a key: its prefix and last 4, the rest starred (`rk_test_********abcd`); a presented
    /// token that does not look like a key is not named at all.
    static func redacted(_ value: String) -> String? {
        let allowed = value.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
        guard allowed, (12...255).contains(value.count) else { return nil }
        let parts = value.split(separator: "_", omittingEmptySubsequences: false)
        let prefix = parts.count >= 3 ? parts[0...1].joined(separator: "_") + "_" : ""
        return prefix + String(repeating: "*", count: value.count - prefix.count - 4) + String(value.suffix(4))
    }
}
