import Foundation
import RotorHTTP
import RotorTestSupport
import Testing

@Suite struct HTTPClientFailureTests {
    /// Runs `request` and returns the HTTPClientError it must throw, with the time it took.
    func failure(_ request: HTTPRequest, on client: HTTPClient) async throws -> (HTTPClientError, Duration) {
        let started = ContinuousClock.now
        do {
            let response = try await client.execute(request)
            Issue.record("expected an error, got status \(response.status)")
            throw CancellationError()
        } catch let error as HTTPClientError {
            return (error, ContinuousClock.now - started)
        }
    }

    @Test func connectTimeoutFiresWhenTheServerNeverCompletesTheHandshake() async throws {
        let blackHole = try FullBacklogListener()
        let client = HTTPClient()
        defer { client.shutdown() }
        var request = HTTPRequest(url: blackHole.url)
        request.connectTimeout = .milliseconds(300)

        let (error, elapsed) = try await failure(request, on: client)

        #expect(error == .connectTimeout)
        #expect(error.isRetryable)
        // Without the timeout this would hang for ever; the upper bound only has to tell the two apart on a
        // loaded 2-core CI machine.
        #expect(elapsed >= .milliseconds(250) && elapsed < .seconds(15), "took \(elapsed)")
        withExtendedLifetime(blackHole) {}
    }

    @Test func totalTimeoutFiresWhenTheServerAnswersTooLate() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/sleepy", TestHTTPResponse(status: 200, delay: .seconds(20)))
        let client = HTTPClient()
        defer { client.shutdown() }
        var request = HTTPRequest(url: server.url("/sleepy"))
        request.timeout = .milliseconds(400)

        let (error, elapsed) = try await failure(request, on: client)

        #expect(error == .timeout)
        #expect(error.isRetryable)
        // Well under the server's 20 s: the client gave up, the server did not answer.
        #expect(elapsed >= .milliseconds(350) && elapsed < .seconds(15), "took \(elapsed)")
        #expect(error.description.contains(server.url("/sleepy")))
    }

    @Test func totalTimeoutOnAReusedConnectionIsNotMistakenForAConnectTimeout() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/quick", .text("ok"))
        server.route("/sleepy", TestHTTPResponse(status: 200, delay: .seconds(20)))
        let client = HTTPClient()
        defer { client.shutdown() }
        var request = HTTPRequest(url: server.url("/sleepy"))
        request.timeout = .milliseconds(300)

        _ = try await client.execute(HTTPRequest(url: server.url("/quick")))
        let (error, _) = try await failure(request, on: client)

        #expect(error == .timeout)
        let quick = try #require(server.requests(to: "/quick").first)
        #expect(server.requests(to: "/sleepy").first?.connection == quick.connection, "the keep-alive connection was reused")
    }

    @Test func refusedConnectionIsCouldNotConnect() async throws {
        let port = try await TestHTTPServer.closedPort()
        let client = HTTPClient()
        defer { client.shutdown() }

        let (error, _) = try await failure(HTTPRequest(url: "http://127.0.0.1:\(port)/"), on: client)
        #expect(error == .couldNotConnect)
        #expect(error.isRetryable)
    }

    @Test func bodyOverTheLimitIsRefusedWhetherOrNotItsLengthIsAnnounced() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let big = [UInt8](repeating: 0x61, count: 64 * 1024)
        server.route("/announced", TestHTTPResponse(status: 200, body: big))
        server.route("/streamed", TestHTTPResponse(status: 200, body: big, omitContentLength: true))
        server.route("/fits", TestHTTPResponse(status: 200, body: Array(big.prefix(1024))))
        let client = HTTPClient()
        defer { client.shutdown() }

        for path in ["/announced", "/streamed"] {
            var request = HTTPRequest(url: server.url(path))
            request.maxResponseBytes = 16 * 1024
            let (error, _) = try await failure(request, on: client)
            #expect(error == .responseTooLarge(limit: 16 * 1024), "\(path)")
            #expect(!error.isRetryable)
        }
        var fits = HTTPRequest(url: server.url("/fits"))
        fits.maxResponseBytes = 1024
        #expect(try await client.execute(fits).body.count == 1024)
    }

    @Test func malformedAndNonHTTPURLsAreInvalid() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        for url in ["not a url", "file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1/", "smtp://127.0.0.1:1/"] {
            let (error, _) = try await failure(HTTPRequest(url: url), on: client)
            #expect(error == .invalidURL, "\(url): \(error)")
            #expect(!error.isRetryable)
        }
    }

    @Test func headerWithALineBreakIsRefusedBeforeAnythingIsSent() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        let request = HTTPRequest(url: server.url("/x"), headers: ["X-Note": "a\r\nX-Injected: 1"])

        let (error, _) = try await failure(request, on: client)
        #expect(error == .invalidHeader(name: "X-Note"))
        #expect(server.requests(to: "/x").isEmpty)
    }

    @Test func cancellingTheTaskAbortsTheTransferAndThrowsCancellationError() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/silent", TestHTTPResponse(neverAnswer: true))
        let client = HTTPClient()
        defer { client.shutdown() }

        let task = Task { try await client.execute(HTTPRequest(url: server.url("/silent"))) }
        try await eventually("the server received the request") { !server.requests(to: "/silent").isEmpty }
        let cancelledAt = ContinuousClock.now
        task.cancel()

        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - cancelledAt < .seconds(1))
        // The easy handle was removed and its connection closed: the server sees the client hang up.
        try await eventually("the server sees the client hang up") { server.unansweredConnectionsClosed > 0 }
        #expect(server.unansweredConnectionsClosed == 1)
    }

    @Test func shutdownAbandonsTransfersInFlightAndRefusesNewOnes() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/silent", TestHTTPResponse(neverAnswer: true))
        let client = HTTPClient()

        let inFlight = Task { try await client.execute(HTTPRequest(url: server.url("/silent"))) }
        try await eventually("the server received the request") { !server.requests(to: "/silent").isEmpty }
        client.shutdown()

        await #expect(throws: HTTPClientError.cancelled) { try await inFlight.value }
        let (error, _) = try await failure(HTTPRequest(url: server.url("/after")), on: client)
        #expect(error == .shutdown)
    }
}
