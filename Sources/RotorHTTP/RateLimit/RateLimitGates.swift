import Foundation

/// Holds requests back so that a vendor's rate limit is not overrun: one `RateLimitBudget` per bucket
/// (a vendor account's budget for one kind of request, named by `HTTPRequest.rateLimitBucket`), learnt
/// from the `Ratelimit-*` / `X-RateLimit-*` headers of the vendor's answers.
///
/// With the gates in front, the runner can write to many targets of one provider at once: they go as
/// fast as the vendor's budget allows and wait for its reset instead of collecting 429s.
///
/// A vendor's budget belongs to its account, not to one rotation, so one process shares one set of gates
/// (`shared`); tests make their own, with a clock of their choosing.
public actor RateLimitGates {
    /// The gates every vendor API call of this process goes through.
    public static let shared = RateLimitGates()

    private var budgets: [String: RateLimitBudget] = [:]
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]
    private let waitUntil: @Sendable (Date) async throws -> Void
    private let now: @Sendable () -> Date

    /// Gates that read the time from `now` and wait for a vendor's reset with `waitUntil` (a test's clock, or
    /// the system's: a sleep until that moment).
    public init(now: @escaping @Sendable () -> Date = Date.init,
                waitUntil: @escaping @Sendable (Date) async throws -> Void = { date in
                    try await Task.sleep(for: .seconds(max(0.001, date.timeIntervalSinceNow)))
                }) {
        self.now = now
        self.waitUntil = waitUntil
    }

    /// Returns once a request of `bucket` may be sent; pair it with `answered` or `abandoned`.
    /// - Throws: `CancellationError` when the task is cancelled while waiting for a reset.
    public func admit(_ bucket: String) async throws {
        while true {
            var budget = budgets[bucket] ?? RateLimitBudget()
            let decision = budget.request(now: now())
            budgets[bucket] = budget
            switch decision {
            case .proceed:
                return
            case .waitForAnswer:
                // Every request in flight ends in `answered` or `abandoned`, which wakes this one.
                await withCheckedContinuation { waiters[bucket, default: []].append($0) }
            case .waitUntil(let date):
                try await waitUntil(date)
            }
            try Task.checkCancellation()
        }
    }

    /// A request admitted for `bucket` was answered with `response`.
    public func answered(_ bucket: String, _ response: HTTPResponse) {
        let at = now()
        let headers = response.headers
        let refused = response.status == 429
        let remaining = ["Ratelimit-Remaining", "X-RateLimit-Remaining"].lazy
            .compactMap { headers[$0].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) } }.first
        let resetIn = (refused ? RateLimitHints.retryAfter(headers, now: at) : nil)
            ?? RateLimitHints.resetHeader(headers, now: at)
        budgets[bucket, default: RateLimitBudget()].answered(remaining: remaining, resetIn: resetIn, refused: refused, now: at)
        wake(bucket)
    }

    /// A request admitted for `bucket` ended without an answer.
    public func abandoned(_ bucket: String) {
        budgets[bucket, default: RateLimitBudget()].abandoned()
        wake(bucket)
    }

    /// What is known of `bucket`, for tests and diagnostics.
    public func budget(_ bucket: String) -> RateLimitBudget? {
        budgets[bucket]
    }

    private func wake(_ bucket: String) {
        guard let waiting = waiters.removeValue(forKey: bucket) else { return }
        for waiter in waiting { waiter.resume() }
    }
}
