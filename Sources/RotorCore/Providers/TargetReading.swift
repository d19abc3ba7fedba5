import Foundation

/// What a target holds now, read without changing anything: how `rotor plan`, `rotor status --targets`
/// and the drift check see a value changed by hand.
///
/// The values are for fingerprints only: never print or log them.
public enum TargetReading: Sendable {
    /// The values the target holds (one per place it keeps the variable, such as Vercel environments);
    /// empty when it holds none.
    case held([SecretValue])
    /// The target cannot tell (a `sensitive` Vercel variable, an `exec` target), and why.
    case unknown(String)

    /// The distinct fingerprints held, in the order first seen; empty when absent or unknown.
    public var fingerprints: [String] {
        guard case .held(let values) = self else { return [] }
        var seen: [String] = []
        for fingerprint in values.map(\.fingerprint) where !seen.contains(fingerprint) { seen.append(fingerprint) }
        return seen
    }

    /// Whether the target holds exactly `value` everywhere; nil when it cannot tell.
    public func matches(_ value: SecretValue?) -> Bool? {
        switch self {
        case .unknown: return nil
        case .held(let values):
            guard let value else { return values.isEmpty }
            return !values.isEmpty && fingerprints == [value.fingerprint]
        }
    }

    /// One line for people: fingerprints, "absent" or "unknown (why)".
    public var summary: String {
        switch self {
        case .unknown(let why): return "unknown (\(why))"
        case .held(let values) where values.isEmpty: return "absent"
        case .held: return fingerprints.joined(separator: ", ")
        }
    }
}
