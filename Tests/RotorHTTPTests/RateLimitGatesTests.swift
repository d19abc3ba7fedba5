import Foundation
import RotorHTTP
import Synchronization
import Testing

/// The gates in front of a vendor's API, driven by answers as the HTTP client feeds them, on a clock that
/// moves only when the gates wait for a reset.
@Suite("Rate-limit gates")
struct RateLimitGatesTests {
    @Test func aBurstGoesAsTheFirstAnswerAllowsAndTheRestWaitsForTheReset() async throws {
        let clock = Clock(Date(timeIntervalSince1970: 1_700_000_000))
        let start = clock.now
        let waits = Mutex<[Date]>([])
        let gates = RateLimitGates(now: { clock.now }, waitUntil: { date in
            waits.withLock { $0.append(date) }
            clock.move(to: date)
        })
        try await gates.admit("render write")   // the probe: nothing is known yet
        let burst = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await gates.admit("render write") } }
                try await group.waitForAll()
            }
        }
        await gates.answered("render write", Self.answer(remaining: 2, reset: 60))
        try await burst.value
        // Two went on the budget the answer gave; the third waited for the reset, then went as the next probe.
        #expect(waits.withLock { $0 } == [start.addingTimeInterval(60)])
        #expect(await gates.budget("render write")?.inFlight == 3)
        #expect(await gates.budget("render write")?.remaining == nil)
    }

    @Test func bucketsAreIndependent() async throws {
        let gates = RateLimitGates(now: { Date(timeIntervalSince1970: 0) }, waitUntil: { _ in Issue.record("no wait expected") })
        try await gates.admit("read")
        await gates.answered("read", Self.answer(remaining: 0, reset: 60))
        try await gates.admit("write")   // a spent read budget does not hold writes back
        #expect(await gates.budget("write")?.inFlight == 1)
    }

    @Test func aRefusalHoldsTheBucketForItsRetryAfter() async throws {
        let clock = Clock(Date(timeIntervalSince1970: 1_700_000_000))
        let start = clock.now
        let waits = Mutex<[Date]>([])
        let gates = RateLimitGates(now: { clock.now }, waitUntil: { date in
            waits.withLock { $0.append(date) }
            clock.move(to: date)
        })
        try await gates.admit("b")
        var refused = HTTPResponse(status: 429, headers: ["Retry-After": "7", "Ratelimit-Remaining": "0", "Ratelimit-Reset": "30"], body: [])
        refused.headers.add(name: "X-Unrelated", value: "1")
        await gates.answered("b", refused)
        try await gates.admit("b")
        #expect(waits.withLock { $0 } == [start.addingTimeInterval(7)])
    }

    @Test func aTransportErrorFreesTheProbe() async throws {
        let gates = RateLimitGates(now: { Date(timeIntervalSince1970: 0) }, waitUntil: { _ in Issue.record("no wait expected") })
        try await gates.admit("b")
        let next = Task { try await gates.admit("b") }
        await gates.abandoned("b")
        try await next.value
        #expect(await gates.budget("b")?.inFlight == 1)
    }

    static func answer(remaining: Int, reset: Int) -> HTTPResponse {
        HTTPResponse(status: 200, headers: ["Ratelimit-Limit": "30", "Ratelimit-Remaining": "\(remaining)", "Ratelimit-Reset": "\(reset)"], body: [])
    }
}

/// A clock that stands still until a wait moves it forward.
private final class Clock: Sendable {
    private let current: Mutex<Date>

    init(_ start: Date) { current = Mutex(start) }

    var now: Date { current.withLock { $0 } }

    func move(to date: Date) { current.withLock { $0 = max($0, date) } }
}
