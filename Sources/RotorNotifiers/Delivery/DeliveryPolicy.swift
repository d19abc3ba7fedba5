/// How the outbox retries: leases, concurrency, and exponential backoff with jitter.
public struct DeliveryPolicy: Sendable, Equatable {
    /// Attempts per notification, the first included; after the last failure it is given up
    /// (status `failed`, logged at error). A permanent `DeliveryError` gives up at once.
    public var maxAttempts: Int
    /// The wait after the first failed attempt; each further failure doubles it.
    public var baseDelay: Duration
    /// The longest wait between attempts.
    public var maxDelay: Duration
    /// Up to this fraction of each wait is taken off at random, so that notifications that failed
    /// together (a receiver's outage) do not all come back at the same instant.
    public var jitter: Double
    /// How long a claimed notification stays reserved for this process. It must outlast one delivery
    /// (transports time out after 30 s), or another daemon may send it again meanwhile; when the
    /// process dies, another one takes it over once the lease has expired.
    public var lease: Duration
    /// How many notifications are delivered at the same time.
    public var concurrency: Int

    /// The defaults: 8 attempts over about two hours (1, 2, 4, … 60 minutes apart), 20 % jitter, a
    /// 5-minute lease, 8 at a time.
    public init(maxAttempts: Int = 8, baseDelay: Duration = .seconds(60), maxDelay: Duration = .seconds(3600),
                jitter: Double = 0.2, lease: Duration = .seconds(300), concurrency: Int = 8) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = max(maxDelay, baseDelay)
        self.jitter = min(max(jitter, 0), 1)
        self.lease = lease
        self.concurrency = max(1, concurrency)
    }

    /// The wait after failed attempt number `attempt` (1 for the first), or nil when it was the last.
    ///
    /// `random` is a number in 0..<1; the result is `min(maxDelay, baseDelay · 2^(attempt−1))` with up
    /// to `jitter` of it taken off.
    public func delay(afterAttempt attempt: Int, random: Double) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let base = Self.seconds(baseDelay)
        // Doubling stops mattering long before 2^30: the cap is reached first.
        let factor = Double(1 << min(max(attempt - 1, 0), 30))
        let capped = min(Self.seconds(maxDelay), base * factor)
        let jittered = capped * (1 - jitter * min(max(random, 0), 1))
        return .milliseconds(Int64((jittered * 1000).rounded()))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
