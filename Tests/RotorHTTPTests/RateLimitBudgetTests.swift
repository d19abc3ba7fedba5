import Foundation
import RotorHTTP
import Testing

/// The window arithmetic of one rate-limit bucket, event by event, without a network or a clock.
@Suite("Rate-limit budget")
struct RateLimitBudgetTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func nothingKnownLetsOneRequestGoUntilItIsAnswered() {
        var budget = RateLimitBudget()
        #expect(budget.request(now: t0) == .proceed)
        #expect(budget.request(now: t0) == .waitForAnswer)
        budget.answered(remaining: 29, resetIn: .seconds(60), refused: false, now: t0)
        #expect(budget.remaining == 29)
        #expect(budget.resetAt == t0.addingTimeInterval(60))
        #expect(budget.request(now: t0) == .proceed)
    }

    @Test func theBudgetIsSpentBeforeAnswersComeAndThenWaitsForTheReset() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 3, resetIn: .seconds(60), refused: false, now: t0)
        let decisions = (0..<5).map { _ in budget.request(now: t0) }
        #expect(decisions == [.proceed, .proceed, .proceed, .waitUntil(t0.addingTimeInterval(60)), .waitUntil(t0.addingTimeInterval(60))])
        #expect(budget.inFlight == 3)
    }

    @Test func anAnswerCountsEveryOtherRequestInFlightAsNotYetCounted() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 10, resetIn: .seconds(60), refused: false, now: t0)
        for _ in 0..<4 { #expect(budget.request(now: t0) == .proceed) }
        // The vendor counted this request and one other (10 - 2 = 8); two more are still in flight.
        budget.answered(remaining: 8, resetIn: .seconds(59), refused: false, now: t0)
        #expect(budget.remaining == 5)   // min(6 left locally, 8 - 3 in flight)
    }

    @Test func aLateAnswerWithAHigherCountNeverRaisesTheEstimateWithinAWindow() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 5, resetIn: .seconds(60), refused: false, now: t0)
        _ = budget.request(now: t0)
        _ = budget.request(now: t0)
        budget.answered(remaining: 3, resetIn: .seconds(60), refused: false, now: t0)   // processed second, answered first
        budget.answered(remaining: 4, resetIn: .seconds(60), refused: false, now: t0)
        #expect(budget.remaining == 2)   // 3 less the one then in flight; the late 4 does not raise it
    }

    @Test func theResetForgetsTheOldCountAndLearnsTheNewOne() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 0, resetIn: .seconds(10), refused: false, now: t0)
        #expect(budget.request(now: t0.addingTimeInterval(5)) == .waitUntil(t0.addingTimeInterval(10)))
        let later = t0.addingTimeInterval(10)
        #expect(budget.request(now: later) == .proceed)
        #expect(budget.request(now: later) == .waitForAnswer)
        budget.answered(remaining: 29, resetIn: .seconds(60), refused: false, now: later)
        #expect(budget.remaining == 29)
        #expect(budget.resetAt == later.addingTimeInterval(60))
    }

    @Test func aRefusalSpendsTheBudgetUntilItsRetryAfter() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 20, resetIn: .seconds(60), refused: false, now: t0)
        _ = budget.request(now: t0)
        // Another client spent the budget: the vendor refuses despite our estimate.
        budget.answered(remaining: 0, resetIn: .seconds(7), refused: true, now: t0)
        #expect(budget.remaining == 0)
        #expect(budget.request(now: t0) == .waitUntil(t0.addingTimeInterval(7)))
        #expect(budget.request(now: t0.addingTimeInterval(7)) == .proceed)
    }

    @Test func aRefusalWithoutAResetWaitsASecond() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: nil, resetIn: nil, refused: true, now: t0)
        #expect(budget.request(now: t0) == .waitUntil(t0.addingTimeInterval(1)))
        #expect(budget.request(now: t0.addingTimeInterval(1)) == .proceed)
    }

    @Test func answersWithoutHeadersLeaveTheBucketUngated() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: nil, resetIn: nil, refused: false, now: t0)
        #expect(budget.unmetered)
        for _ in 0..<100 { #expect(budget.request(now: t0) == .proceed) }
        #expect(budget.inFlight == 100)
    }

    @Test func aSpentBudgetWithoutAResetTimeWaitsForAnswersOrASecond() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 1, resetIn: nil, refused: false, now: t0)
        #expect(budget.request(now: t0) == .proceed)
        #expect(budget.request(now: t0) == .waitForAnswer)
        budget.abandoned()
        #expect(budget.inFlight == 0)
        #expect(budget.request(now: t0) == .waitUntil(t0.addingTimeInterval(1)))
    }

    @Test func requestsStillOutFromAnEndedWindowDoNotHoldTheNextProbe() {
        var budget = RateLimitBudget()
        _ = budget.request(now: t0)
        budget.answered(remaining: 2, resetIn: .seconds(60), refused: false, now: t0)
        #expect(budget.request(now: t0) == .proceed)
        #expect(budget.request(now: t0) == .proceed)
        let later = t0.addingTimeInterval(60)
        #expect(budget.request(now: later) == .proceed)
        #expect(budget.probing)
        #expect(budget.request(now: later) == .waitForAnswer)
        #expect(budget.inFlight == 3)
    }

    @Test func anAbandonedProbeLetsTheNextOneGo() {
        var budget = RateLimitBudget()
        #expect(budget.request(now: t0) == .proceed)
        budget.abandoned()
        #expect(budget.request(now: t0) == .proceed)
    }
}
