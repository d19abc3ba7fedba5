import RotorNotifiers
import Testing

/// The retry schedule: exponential from the base delay, capped, with jitter that only shortens.
@Suite struct DeliveryPolicyTests {
    @Test func delaysDoubleUntilTheCapAndStopAtMaxAttempts() {
        let policy = DeliveryPolicy(maxAttempts: 8, baseDelay: .seconds(60), maxDelay: .seconds(3600), jitter: 0.2)
        let delays = (1...7).map { policy.delay(afterAttempt: $0, random: 0) }
        #expect(delays == [60, 120, 240, 480, 960, 1920, 3600].map { Duration.seconds($0) })
        #expect(policy.delay(afterAttempt: 8, random: 0) == nil, "the eighth failure is the last")
        #expect(policy.delay(afterAttempt: 80, random: 0) == nil)
    }

    @Test func jitterTakesOffAtMostItsFraction() {
        let policy = DeliveryPolicy(baseDelay: .seconds(100), maxDelay: .seconds(100), jitter: 0.2)
        #expect(policy.delay(afterAttempt: 1, random: 0) == .seconds(100))
        #expect(policy.delay(afterAttempt: 1, random: 0.5) == .seconds(90))
        #expect(policy.delay(afterAttempt: 1, random: 0.999_999) == .milliseconds(80_000))
        #expect(policy.delay(afterAttempt: 5, random: 0.5) == .seconds(90), "capped before jitter")
    }

    @Test func nonsensicalSettingsAreClamped() {
        let policy = DeliveryPolicy(maxAttempts: 0, baseDelay: .seconds(10), maxDelay: .seconds(1), jitter: 7, concurrency: -3)
        #expect(policy.maxAttempts == 1)
        #expect(policy.maxDelay == .seconds(10))
        #expect(policy.jitter == 1)
        #expect(policy.concurrency == 1)
        #expect(policy.delay(afterAttempt: 1, random: 0) == nil)
    }
}
