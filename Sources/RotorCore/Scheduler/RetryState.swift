import Foundation

/// How long the scheduler waits before it tries a secret again after failed rotations.
///
/// Derived from the rotation history rather than stored: the history already records every attempt with its
/// end time, every process sees the same rows, and nothing can drift out of step with them (a stored counter
/// would need its own row locks and could be lost by a crash between the rotation and the counter's update).
///
/// After the n-th failure in a row (rolled back, or failed) the next scheduled try waits 1 h, 4 h, 12 h, then a
/// day for every further one. Independently, at most `policy.max_attempts_per_day` rotations start in any 24
/// hours. A person's `rotor rotate` ignores both: only the scheduler asks.
public struct RetryState: Sendable, Equatable {
    /// The delays after the first, second, third failure; every later one waits the last.
    public static let steps: [TimeInterval] = [3_600, 4 * 3_600, 12 * 3_600, 24 * 3_600]

    /// Failed attempts in a row since the last rotation that went live (0: none).
    public var attempt: Int
    /// Not before this time; nil when nothing holds the scheduler back.
    public var retryAt: Date?
    /// The last failure's error, for alerts.
    public var lastError: String?

    /// `history` is the secret's rotations, newest first (as ``RotationsTransaction/rotations(secretName:)`` returns).
    public init(history: [RotationRecord], policy: RotationPolicy) {
        // A request a skip withdrew was neither an attempt nor a failure: nothing was minted.
        let history = history.filter { !PostponedRequest.isPostponed($0) }
        let failures = history.prefix { $0.state == .rolledBack || $0.state == .failed }
        attempt = failures.count
        lastError = failures.first?.error
        var retryAt: Date?
        if let last = failures.first {
            let ended = last.completedAt ?? last.updatedAt
            retryAt = ended.addingTimeInterval(Self.steps[min(attempt, Self.steps.count) - 1])
        }
        // The daily cap counts every rotation started, whatever its outcome: each one minted a value.
        let cap = max(policy.maxAttemptsPerDay, 1)
        if history.count >= cap, let newest = history.first {
            let capth = history[cap - 1].createdAt
            if newest.createdAt.timeIntervalSince(capth) < 86_400 {
                retryAt = max(retryAt ?? .distantPast, capth.addingTimeInterval(86_400))
            }
        }
        self.retryAt = retryAt
    }

    /// Whether the scheduler must wait at `now`.
    public func holds(at now: Date) -> Bool { retryAt.map { now < $0 } ?? false }
}
