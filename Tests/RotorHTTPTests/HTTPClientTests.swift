import Foundation
import RotorHTTP
import RotorTestSupport
import Testing

@Suite struct HTTPClientTests {
    struct Greeting: Codable, Equatable { var name: String; var count: Int }

    @Test func getRoundTripsStatusHeadersAndBodyAndSendsHeadersAsGiven() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/hello", .text("hi there", status: 203, headers: [("X-Reply", "yes"), ("Set-Cookie", "a=1"), ("set-cookie", "b=2")]))
        let client = HTTPClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: server.url("/hello?x=1"), headers: ["X-Request-Id": "r-42", "X-Empty": ""]))

        #expect(response.status == 203)
        #expect(response.bodyText == "hi there")
        #expect(response.headers["x-reply"] == "yes")
        #expect(response.headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        let seen = try #require(server.requests(to: "/hello").first)
        #expect(seen.method == "GET")
        #expect(seen.target == "/hello?x=1")
        #expect(seen.headers["X-Request-Id"] == "r-42")
        #expect(seen.headers.contains(name: "X-Empty") && seen.headers["X-Empty"] == "")
        // Only what was given, plus Host: libcurl's Accept and Expect are suppressed.
        #expect(seen.headers["Host"] == "127.0.0.1:\(server.port)")
        #expect(!seen.headers.contains(name: "Accept"))
        #expect(!seen.headers.contains(name: "Expect"))
    }

    @Test func postSendsAJSONBodyAndDecodesTheJSONReply() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/items", .text(#"{"name":"created","count":2}"#, status: 201, headers: [("Content-Type", "application/json")]))
        let client = HTTPClient()
        defer { client.shutdown() }

        let request = try HTTPRequest.json(.POST, server.url("/items"), Greeting(name: "new", count: 1),
                                           headers: ["Authorization": "Bearer t0ken"])
        let response = try await client.execute(request)

        #expect(response.status == 201)
        #expect(try response.decode(Greeting.self) == Greeting(name: "created", count: 2))
        let seen = try #require(server.requests(to: "/items").first)
        #expect(seen.method == "POST")
        #expect(seen.headers["Content-Type"] == "application/json")
        #expect(seen.headers["Authorization"] == "Bearer t0ken")
        #expect(seen.headers["Content-Length"] == "\(seen.body.count)")
        #expect(try JSONDecoder().decode(Greeting.self, from: Data(seen.body)) == Greeting(name: "new", count: 1))
    }

    @Test func everyMethodGoesOutWithItsNameAndBody() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/m", .text("ok"))
        let client = HTTPClient()
        defer { client.shutdown() }

        for method in HTTPMethod.allCases {
            let body: [UInt8]? = method == .DELETE ? Array("bye".utf8) : nil
            let response = try await client.execute(HTTPRequest(method: method, url: server.url("/m"), body: body))
            #expect(response.status == 200)
            #expect(response.body == (method == .HEAD ? [] : Array("ok".utf8)), "\(method)")
        }
        let seen = server.requests(to: "/m")
        #expect(seen.map(\.method) == HTTPMethod.allCases.map(\.rawValue))
        #expect(seen.first { $0.method == "DELETE" }?.body == Array("bye".utf8))
        #expect(seen.first { $0.method == "PUT" }?.headers["Content-Length"] == "0")
        #expect(!(seen.first { $0.method == "POST" }?.headers.contains(name: "Content-Type") ?? true))
    }

    @Test func errorStatusesAreResponsesNotErrors() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/gone", .text("nope", status: 404))
        let client = HTTPClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: server.url("/gone")))
        #expect(response.status == 404)
        #expect(response.bodyText == "nope")
    }

    @Test func redirectsAreReturnedAsIsByDefault() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/old", TestHTTPResponse(status: 301, headers: [("Location", "/new")]))
        server.route("/new", .text("moved here"))
        let client = HTTPClient()
        defer { client.shutdown() }

        let response = try await client.execute(HTTPRequest(url: server.url("/old")))
        #expect(response.status == 301)
        #expect(response.headers["Location"] == "/new")
        #expect(server.requests(to: "/new").isEmpty)

        var following = HTTPRequest(url: server.url("/old"))
        following.followRedirects = true
        let followed = try await client.execute(following)
        #expect(followed.status == 200)
        #expect(followed.bodyText == "moved here")
        #expect(followed.headers["Location"] == nil, "headers belong to the final response only")
    }

    /// Concurrency is shown by what the server sees, not by a wall-clock bound: every request waits at a barrier
    /// until `together` requests are in flight at once, which serial requests could never reach (each would give
    /// up waiting after `patience`, and the test would fail on `metTogether`).
    @Test func sixtyFourConcurrentRequestsOverlap() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        let count = 64
        let barrier = InFlightBarrier(together: 16, patience: 10)
        server.route("/slow") { _ in
            barrier.arriveAndWait()
            return .text("done")
        }
        let client = HTTPClient()
        defer { client.shutdown() }

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await client.execute(HTTPRequest(url: server.url("/slow?i=\(index)"))).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }

        #expect(statuses.count == count && statuses.allSatisfy { $0 == 200 })
        #expect(server.requests(to: "/slow").count == count)
        #expect(barrier.metTogether, "at most \(barrier.mostInFlight) of \(count) requests were in flight at once")
    }

    @Test func reportsTheLibcurlVersionAndTLSBackend() {
        let version = HTTPClient.libcurlVersion
        #expect(version.first?.isNumber == true)
        #expect(version.contains("(") && version.contains(")"))
        #expect(version != "unknown")
    }

    @Test func theSharedClientWorks() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/shared", .text("shared"))
        #expect(try await HTTPClient.shared.execute(HTTPRequest(url: server.url("/shared"))).bodyText == "shared")
    }
}

/// A server-side barrier: each arriving request waits until `together` requests are in flight at once (then all
/// pass), or gives up after `patience` seconds. Records the most requests seen in flight together.
private final class InFlightBarrier: @unchecked Sendable {
    private let condition = NSCondition()
    private let together: Int
    private let patience: TimeInterval
    private var inFlight = 0
    private var released = false
    private(set) var mostInFlight = 0

    init(together: Int, patience: TimeInterval) {
        self.together = together
        self.patience = patience
    }

    var metTogether: Bool { condition.withLock { released } }

    func arriveAndWait() {
        condition.lock()
        defer { condition.unlock() }
        inFlight += 1
        mostInFlight = max(mostInFlight, inFlight)
        if inFlight >= together { released = true; condition.broadcast() }
        let deadline = Date(timeIntervalSinceNow: patience)
        while !released, condition.wait(until: deadline) {}
        inFlight -= 1
    }
}
