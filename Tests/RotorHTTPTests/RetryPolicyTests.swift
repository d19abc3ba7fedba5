import Foundation
import RotorHTTP
import Testing

@Suite struct RetryPolicyTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)
    let get = HTTPRequest(url: "http://127.0.0.1/x")
    let exact = RetryPolicy(baseDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: 0)

    func response(_ status: Int, _ headers: HTTPHeaders = [:], body: String = "") -> Result<HTTPResponse, any Error> {
        .success(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    @Test func retryAfterDeltaSecondsIsHonoured() {
        #expect(exact.delay(attempt: 1, request: get, outcome: response(429, ["Retry-After": "7"]), now: now) == .seconds(7))
    }

    @Test func retryAfterHTTPDateIsHonoured() {
        // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
        let date = "Tue, 14 Nov 2023 22:13:32 GMT"
        #expect(exact.delay(attempt: 1, request: get, outcome: response(429, ["Retry-After": date]), now: now) == .seconds(12))
    }

    @Test func renderRatelimitResetIsReadAsSecondsUntilReset() {
        let outcome = response(429, ["Ratelimit-Limit": "30", "Ratelimit-Remaining": "0", "Ratelimit-Reset": "10"])
        #expect(exact.delay(attempt: 1, request: get, outcome: outcome, now: now) == .seconds(10))
    }

    @Test func ratelimitResetAboveOneBillionIsReadAsEpochSeconds() {
        let outcome = response(429, ["Ratelimit-Reset": "1700000025"])
        #expect(exact.delay(attempt: 1, request: get, outcome: outcome, now: now) == .seconds(25))
    }

    @Test func retryAfterWinsOverRatelimitReset() {
        let outcome = response(429, ["Ratelimit-Reset": "50", "Retry-After": "3"])
        #expect(exact.delay(attempt: 1, request: get, outcome: outcome, now: now) == .seconds(3))
    }

    @Test func vercelBodyLimitResetIsHonoured() {
        let body = #"{"error":{"code":"rate_limited","message":"Rate limit exceeded","limit":{"remaining":0,"reset":1700000040,"total":6}}}"#
        #expect(exact.delay(attempt: 1, request: get, outcome: response(429, body: body), now: now) == .seconds(40))
    }

    @Test func vercelBodyResetMsIsHonouredAndPreferred() {
        let body = #"{"error":{"code":"rate_limited","limit":{"remaining":0,"reset":1700000002,"resetMs":1700000002500,"total":6}}}"#
        let wait = exact.delay(attempt: 1, request: get, outcome: response(429, body: body), now: now)
        #expect(wait == .milliseconds(2500))
    }

    @Test func resetInThePastMeansRetryNow() {
        let body = #"{"error":{"limit":{"reset":1600000000}}}"#
        #expect(exact.delay(attempt: 1, request: get, outcome: response(429, body: body), now: now) == .zero)
    }

    @Test func tooManyRequestsWithoutHintsBacksOffExponentially() {
        #expect(exact.delay(attempt: 1, request: get, outcome: response(429), now: now) == .milliseconds(500))
        #expect(exact.delay(attempt: 3, request: get, outcome: response(429), now: now) == .seconds(2))
    }

    @Test(arguments: [500, 502, 503, 504])
    func serverErrorsBackOffExponentiallyUpToMaxDelay(status: Int) {
        let policy = RetryPolicy(maxAttempts: 20, baseDelay: .seconds(1), maxDelay: .seconds(5), jitter: 0)
        let waits = (1...5).map { policy.delay(attempt: $0, request: get, outcome: response(status), now: now) }
        #expect(waits == [.seconds(1), .seconds(2), .seconds(4), .seconds(5), .seconds(5)])
    }

    @Test func jitterStaysWithinTheConfiguredFraction() throws {
        let policy = RetryPolicy(baseDelay: .seconds(10), maxDelay: .seconds(60), jitter: 0.2)
        var seen = Set<Duration>()
        for _ in 0..<200 {
            let wait = try #require(policy.delay(attempt: 1, request: get, outcome: response(500), now: now))
            #expect(wait >= .seconds(8) && wait <= .seconds(12))
            seen.insert(wait)
        }
        #expect(seen.count > 1, "jitter should vary the wait")
    }

    @Test func statusesThatAreNotTransientAreFinal() {
        for status in [200, 201, 301, 400, 401, 403, 404, 409, 501] {
            #expect(exact.delay(attempt: 1, request: get, outcome: response(status), now: now) == nil, "\(status)")
        }
    }

    @Test func nonIdempotentRequestsAreNeverRetried() {
        let post = HTTPRequest(method: .POST, url: "http://127.0.0.1/x")
        #expect(!post.isIdempotent)
        #expect(exact.delay(attempt: 1, request: post, outcome: response(503), now: now) == nil)
        #expect(exact.delay(attempt: 1, request: post, outcome: response(429, ["Retry-After": "1"]), now: now) == nil)
        #expect(exact.delay(attempt: 1, request: post, outcome: .failure(HTTPClientError.timeout), now: now) == nil)
        var keyed = post
        keyed.isIdempotent = true
        #expect(exact.delay(attempt: 1, request: keyed, outcome: response(503), now: now) != nil)
    }

    @Test func stopsAfterMaxAttempts() {
        let policy = RetryPolicy(maxAttempts: 3, jitter: 0)
        #expect(policy.delay(attempt: 2, request: get, outcome: response(500), now: now) != nil)
        #expect(policy.delay(attempt: 3, request: get, outcome: response(500), now: now) == nil)
    }

    @Test func aWaitLongerThanMaxTotalTimeEndsTheRetries() {
        let policy = RetryPolicy(maxTotalTime: .seconds(60), jitter: 0)
        #expect(policy.delay(attempt: 1, request: get, outcome: response(429, ["Retry-After": "3600"]), now: now) == nil)
        #expect(policy.delay(attempt: 1, request: get, outcome: response(429, ["Retry-After": "60"]), now: now) == .seconds(60))
    }

    @Test func retryableTransportErrorsBackOffAndOthersAreFinal() {
        for error in [HTTPClientError.connectTimeout, .timeout, .couldNotConnect, .transport(curlCode: 56)] {
            #expect(error.isRetryable)
            #expect(exact.delay(attempt: 1, request: get, outcome: .failure(error), now: now) == .milliseconds(500))
        }
        for error in [HTTPClientError.invalidURL, .tls, .responseTooLarge(limit: 10), .transport(curlCode: 47)] {
            #expect(!error.isRetryable)
            #expect(exact.delay(attempt: 1, request: get, outcome: .failure(error), now: now) == nil)
        }
        #expect(exact.delay(attempt: 1, request: get, outcome: .failure(CancellationError()), now: now) == nil)
    }
}
