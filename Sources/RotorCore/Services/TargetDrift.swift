import Foundation

/// What one target holds now against Rotor's versions, by fingerprint only.
public struct TargetDrift: Sendable, Codable, Equatable {
    /// How the target's value compares with Rotor's versions.
    public enum State: String, Sendable, Codable {
        /// It holds Rotor's current version (everywhere it keeps the variable).
        case current
        /// It holds Rotor's previous version (normal during a grace period, or after a rollback).
        case previous
        /// It holds something else: changed by hand, or by another tool.
        case drift
        /// It holds no value.
        case absent
        /// It cannot tell (a `sensitive` Vercel variable, an `exec` target).
        case unknown
        /// Reading it failed; `detail` says why.
        case unreadable
    }

    /// The target's label, e.g. `vercel web-app OPENAI_API_KEY`.
    public var target: String
    public var state: State
    /// The fingerprints it holds (first 8 hex of SHA-256), distinct, in the order read.
    public var fingerprints: [String]
    /// Why it is unknown or unreadable.
    public var detail: String?

    public init(target: String, state: State, fingerprints: [String] = [], detail: String? = nil) {
        self.target = target
        self.state = state
        self.fingerprints = fingerprints
        self.detail = detail
    }

    /// One line for people, e.g. `fp 1a2b3c4d (drift: not Rotor's current 5e6f7a8b)`.
    public func line(current: String?) -> String {
        let held = fingerprints.isEmpty ? "" : "fp \(fingerprints.joined(separator: ", ")) "
        switch state {
        case .current: return "\(held)(current)"
        case .previous: return "\(held)(previous version)"
        case .drift: return "\(held)(DRIFT: Rotor's current is \(current ?? "none"))"
        case .absent: return "absent"
        case .unknown: return "unknown (\(detail ?? "cannot read"))"
        case .unreadable: return "unreadable (\(detail ?? "error"))"
        }
    }
}
