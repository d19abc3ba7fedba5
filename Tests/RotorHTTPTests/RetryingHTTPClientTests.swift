import Foundation
import RotorHTTP
import RotorTestSupport
import Testing

@Suite struct RetryingHTTPClientTests {
    let fast = RetryPolicy(baseDelay: .milliseconds(20), maxDelay: .milliseconds(50), jitter: 0)

    @Test func tooManyRequestsWithRetryAfterIsRetriedAfterThatWaitThenSucceeds() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/limited", .text("slow down", status: 429, headers: [("Retry-After", "1")]), .text("ok"))
        let client = HTTPClient()
        defer { client.shutdown() }

        let response = try await RetryingHTTPClient(client: client).execute(HTTPRequest(url: server.url("/limited")))

        #expect(response.status == 200)
        #expect(response.bodyText == "ok")
        let seen = server.requests(to: "/limited")
        try #require(seen.count == 2)
        let gap = seen[1].receivedAt - seen[0].receivedAt
        // At least the server's Retry-After; the upper bound only rules out a much longer backoff on a loaded machine.
        #expect(gap >= .milliseconds(900) && gap < .seconds(10), "gap between attempts was \(gap)")
    }

    @Test func serverErrorThenSuccessSucceeds() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/flaky", .text("boom", status: 500), .text("fine"))
        let client = HTTPClient()
        defer { client.shutdown() }

        let response = try await RetryingHTTPClient(client: client, policy: fast).execute(HTTPRequest(url: server.url("/flaky")))

        #expect(response.status == 200)
        #expect(response.bodyText == "fine")
        #expect(server.requests(to: "/flaky").count == 2)
    }

    @Test func nonIdempotentPostGettingServerErrorIsNotRetried() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/mint", .text("boom", status: 500), .text("minted twice!"))
        let client = HTTPClient()
        defer { client.shutdown() }

        let request = HTTPRequest(method: .POST, url: server.url("/mint"), body: Array("{}".utf8))
        let response = try await RetryingHTTPClient(client: client, policy: fast).execute(request)

        #expect(response.status == 500)
        #expect(server.requests(to: "/mint").count == 1)
    }

    @Test func whenAttemptsRunOutTheLastResponseIsReturned() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/down", .text("unavailable", status: 503))
        let client = HTTPClient()
        defer { client.shutdown() }
        var policy = fast
        policy.maxAttempts = 3

        let response = try await RetryingHTTPClient(client: client, policy: policy).execute(HTTPRequest(url: server.url("/down")))

        #expect(response.status == 503)
        #expect(response.bodyText == "unavailable")
        #expect(server.requests(to: "/down").count == 3)
    }

    @Test func transportFailuresAreRetriedAndTheLastErrorIsThrown() async throws {
        let port = try await TestHTTPServer.closedPort()
        let client = HTTPClient()
        defer { client.shutdown() }
        let time = ManualTime()
        let retrying = RetryingHTTPClient(client: client, policy: RetryPolicy(maxAttempts: 3, baseDelay: .seconds(1), jitter: 0),
                                          sleep: { time.sleep($0) }, now: { time.now })

        await #expect(throws: HTTPClientError.couldNotConnect) {
            try await retrying.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(time.sleeps == [.seconds(1), .seconds(2)])
    }

    @Test func noWaitStartsThatWouldEndPastMaxTotalTime() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/down", .text("boom", status: 500))
        let client = HTTPClient()
        defer { client.shutdown() }
        let time = ManualTime()
        let policy = RetryPolicy(maxAttempts: 10, maxTotalTime: .seconds(10), baseDelay: .seconds(4), maxDelay: .seconds(60), jitter: 0)
        let retrying = RetryingHTTPClient(client: client, policy: policy, sleep: { time.sleep($0) }, now: { time.now })

        let response = try await retrying.execute(HTTPRequest(url: server.url("/down")))

        // Waits 4 s (ends at 4 s); the next 8 s wait would end at 12 s > 10 s, so it stops.
        #expect(response.status == 500)
        #expect(time.sleeps == [.seconds(4)])
        #expect(server.requests(to: "/down").count == 2)
    }

    @Test func aServerWaitBeyondMaxTotalTimeReturnsTheResponseAtOnce() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/limited", .text("come back tomorrow", status: 429, headers: [("Retry-After", "86400")]))
        let client = HTTPClient()
        defer { client.shutdown() }
        let time = ManualTime()
        let retrying = RetryingHTTPClient(client: client, sleep: { time.sleep($0) }, now: { time.now })

        let response = try await retrying.execute(HTTPRequest(url: server.url("/limited")))

        #expect(response.status == 429)
        #expect(time.sleeps.isEmpty)
        #expect(server.requests(to: "/limited").count == 1)
    }

    @Test func cancellationDuringAWaitEndsTheRetries() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/limited", .text("later", status: 429, headers: [("Retry-After", "30")]))
        let client = HTTPClient()
        defer { client.shutdown() }

        let task = Task { try await RetryingHTTPClient(client: client).execute(HTTPRequest(url: server.url("/limited"))) }
        try await eventually("the server received the first attempt") { !server.requests(to: "/limited").isEmpty }
        let cancelledAt = ContinuousClock.now
        task.cancel()

        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelledAt < .seconds(1))
        #expect(server.requests(to: "/limited").count == 1)
    }
}
