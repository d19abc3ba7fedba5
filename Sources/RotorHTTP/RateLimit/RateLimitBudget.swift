import Foundation

/// One vendor rate-limit bucket as the client knows it from the vendor's own headers (Render's
/// `Ratelimit-Remaining` / `Ratelimit-Reset`, Vercel's `X-RateLimit-*`): how many requests the vendor
/// still accepts before its window resets, less those already sent.
///
/// A pure state machine in the manner of postgres-nio's: each event (a request wants to go, an answer
/// came, a request ended without one) is a mutating method, and `request(now:)` answers what to do, so
/// the window logic is tested without a network or a clock. `RateLimitGates` performs the waits.
///
/// The estimate only errs on the safe side. Answers may arrive out of order and say nothing about the
/// requests still in flight, so an answer's `remaining` is taken less everything still in flight and never
/// raises the estimate within a window; only the end of the window (by the vendor's own reset time) does.
public struct RateLimitBudget: Sendable, Equatable {
    /// What a request that wants to go should do.
    public enum Decision: Sendable, Equatable {
        /// Send it now; one request of the budget is spent and counted in flight.
        case proceed
        /// Wait until a request in flight is answered, then ask again (the budget is being learnt).
        case waitForAnswer
        /// Wait until the vendor's window resets, then ask again.
        case waitUntil(Date)
    }

    /// Requests the vendor still accepts in this window, less those sent since; nil while unknown.
    public private(set) var remaining: Int?
    /// When the vendor's window resets; nil while unknown.
    public private(set) var resetAt: Date?
    /// Requests sent and not yet answered.
    public private(set) var inFlight = 0
    /// The vendor's answers carry no rate-limit headers: nothing to gate on (429s are still retried).
    public private(set) var unmetered = false
    /// A request sent while nothing was known is out; the others wait for what its answer says.
    public private(set) var probing = false

    /// A bucket nothing is known about yet.
    public init() {}

    /// A request wants to go at `now`. While nothing is known one request (the probe) goes at a time, so
    /// the first answer tells the budget before a burst can overrun it.
    public mutating func request(now: Date) -> Decision {
        if let resetAt, now >= resetAt {
            // The window is over: the old count means nothing, learn the new one.
            remaining = nil
            self.resetAt = nil
        }
        if unmetered {
            inFlight += 1
            return .proceed
        }
        guard let known = remaining else {
            // Requests still out from a window that has ended do not hold the probe of the new one back.
            guard !probing else { return .waitForAnswer }
            probing = true
            inFlight += 1
            return .proceed
        }
        if known > 0 {
            remaining = known - 1
            inFlight += 1
            return .proceed
        }
        if let resetAt { return .waitUntil(resetAt) }
        if inFlight > 0 { return .waitForAnswer }
        // Spent, and the vendor never said when it refills: try again in a second.
        let retry = now.addingTimeInterval(1)
        resetAt = retry
        return .waitUntil(retry)
    }

    /// A request sent through `request(now:)` was answered at `now`.
    /// - Parameters:
    ///   - remaining: the vendor's count of requests left after this one, nil when the answer had none.
    ///   - resetIn: how long until the vendor's window resets, nil when not said.
    ///   - refused: the answer was a 429: nothing remains until `resetIn` (its `Retry-After` first), or for
    ///     a second when it names no wait.
    public mutating func answered(remaining header: Int?, resetIn: Duration?, refused: Bool, now: Date) {
        inFlight = max(0, inFlight - 1)
        probing = false
        let reset = resetIn.map { now.addingTimeInterval(max(0, $0.inSeconds)) }
        if refused {
            unmetered = false
            remaining = 0
            // The vendor's word beats the estimate: it is spent until the wait it names.
            resetAt = reset ?? now.addingTimeInterval(1)
            return
        }
        guard let header else {
            // An answer without the headers: a vendor that does not meter this bucket, or one that only
            // says so when refusing. Only a bucket never metered is left ungated.
            if remaining == nil, resetAt == nil { unmetered = true }
            return
        }
        unmetered = false
        // Other requests still in flight may not have been counted by the vendor yet: assume none were.
        let estimate = max(0, header - inFlight)
        if let known = remaining, let resetAt, now < resetAt {
            remaining = min(known, estimate)
            self.resetAt = Self.later(resetAt, reset)
        } else {
            remaining = estimate
            resetAt = reset
        }
    }

    /// A request sent through `request(now:)` ended without an answer (a transport error, a cancellation).
    public mutating func abandoned() {
        inFlight = max(0, inFlight - 1)
        // Perhaps it was the probe: let another one learn the budget.
        probing = false
    }

    private static func later(_ a: Date?, _ b: Date?) -> Date? {
        switch (a, b) {
        case let (a?, b?): max(a, b)
        case let (a, b): a ?? b
        }
    }
}
