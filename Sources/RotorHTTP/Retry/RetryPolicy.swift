import Foundation

/// When to repeat a request, and how long to wait first. A pure value: it looks at one outcome and
/// answers, so it can be tested without a network or a clock.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// No wait is started that would end later than this after the first attempt began.
    public var maxTotalTime: Duration
    /// The first exponential backoff; each later one doubles.
    public var baseDelay: Duration
    /// The longest exponential backoff, before jitter. A wait the server asks for is not capped by it
    /// (only by `maxTotalTime`).
    public var maxDelay: Duration
    /// Each exponential backoff is multiplied by a random factor in 1 ± jitter, so that many clients
    /// throttled at once do not come back at once.
    public var jitter: Double

    /// Creates a policy: by default 5 attempts within 120 s, backoff from 0.5 s doubling up to 30 s, ±20 % jitter.
    public init(
        maxAttempts: Int = 5, maxTotalTime: Duration = .seconds(120), baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30), jitter: Double = 0.2
    ) {
        self.maxAttempts = maxAttempts
        self.maxTotalTime = maxTotalTime
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// How long to wait before the next attempt, after attempt number `attempt` (1 for the first) ended
    /// with `outcome`; nil means do not retry.
    ///
    /// - Non-idempotent requests (`HTTPRequest.isIdempotent` false) are never retried, nor is anything
    ///   once `maxAttempts` attempts have been made.
    /// - 429: `Retry-After` (delta seconds or HTTP-date), else Render's `Ratelimit-Reset` (seconds until
    ///   the reset, or epoch seconds when above 1e9; `X-RateLimit-Reset` is read the same way), else
    ///   Vercel's body `error.limit.resetMs` / `error.limit.reset` (epoch), else exponential backoff.
    /// - 503: `Retry-After` when present, else exponential backoff; 500, 502, 504: exponential backoff.
    /// - A thrown `HTTPClientError` whose `isRetryable` is true (connection failures, timeouts):
    ///   exponential backoff. Anything else thrown, and every other status, is final.
    /// - A wait longer than `maxTotalTime` ends the retries.
    public func delay(attempt: Int, request: HTTPRequest, outcome: Result<HTTPResponse, any Error>, now: Date) -> Duration? {
        guard request.isIdempotent, attempt < maxAttempts else { return nil }
        let wait: Duration
        switch outcome {
        case .success(let response):
            switch response.status {
            case 429:
                wait = RateLimitHints.retryAfter(response.headers, now: now)
                    ?? RateLimitHints.resetHeader(response.headers, now: now)
                    ?? RateLimitHints.vercelLimitReset(response.body, now: now)
                    ?? backoff(attempt: attempt)
            case 503:
                wait = RateLimitHints.retryAfter(response.headers, now: now) ?? backoff(attempt: attempt)
            case 500, 502, 504:
                wait = backoff(attempt: attempt)
            default:
                return nil
            }
        case .failure(let error):
            guard let error = error as? HTTPClientError, error.isRetryable else { return nil }
            wait = backoff(attempt: attempt)
        }
        return wait <= maxTotalTime ? wait : nil
    }

    /// `baseDelay × 2^(attempt − 1)`, capped at `maxDelay`, times a random factor in 1 ± `jitter`.
    func backoff(attempt: Int) -> Duration {
        let exponential = baseDelay.inSeconds * pow(2, Double(max(0, attempt - 1)))
        let capped = min(exponential, maxDelay.inSeconds)
        let spread = min(max(jitter, 0), 1)
        let factor = spread > 0 ? Double.random(in: (1 - spread)...(1 + spread)) : 1
        return .seconds(capped * factor)
    }
}
