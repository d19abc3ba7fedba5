import Foundation
import RotorHTTP
import RotorTestSupport
import Testing

/// Plants canaries in every place a credential travels and checks that none reaches a log line or an
/// error description, while the server does receive them.
@Suite struct SecretRedactionTests {
    let canary = "canary-7f3a9b"
    let authCanary = "auth-canary-51c2e8"

    @Test func credentialsNeverReachLogsOrErrors() async throws {
        let server = try TestHTTPServer()
        defer { server.stop() }
        server.route("/api/\(canary)",
                     .text("body \(canary)", status: 500, headers: [("Set-Cookie", "session=\(authCanary)")]),
                     .text("body \(canary)"))
        server.route("/slow", TestHTTPResponse(status: 200, delay: .seconds(2)))
        let (logger, logs) = CapturingLogHandler.logger()
        let client = HTTPClient(logger: logger)
        defer { client.shutdown() }
        let retrying = RetryingHTTPClient(client: client, policy: RetryPolicy(baseDelay: .milliseconds(10), jitter: 0))

        // A success after a retried 500: request, response and retry lines are all logged.
        var request = HTTPRequest(url: server.url("/api/\(canary)?token=\(canary)&page=1"),
                                  headers: ["Authorization": "Bearer \(authCanary)", "X-Api-Key": authCanary,
                                            "X-Note": "note \(canary)"])
        request.secrets = [canary]
        let response = try await retrying.execute(request)
        #expect(response.status == 200)

        // Failures: a total timeout and a refused connection, both carrying the secret in the URL.
        var slow = HTTPRequest(url: server.url("/slow?key=\(canary)"), headers: ["Authorization": "Bearer \(authCanary)"])
        slow.secrets = [canary]
        slow.timeout = .milliseconds(200)
        var refused = HTTPRequest(url: "http://user:\(canary)@127.0.0.1:1/\(canary)")
        refused.secrets = [canary]
        var descriptions: [String] = []
        for failing in [slow, refused] {
            do {
                _ = try await client.execute(failing)
                Issue.record("expected \(failing.method) to fail")
            } catch {
                descriptions.append("\(error)")
            }
        }

        // The canaries really travelled, so their absence below means something.
        let seen = server.requests(to: "/api/\(canary)")
        #expect(seen.count == 2)
        #expect(seen.first?.target.contains(canary) == true)
        #expect(seen.first?.headers["Authorization"] == "Bearer \(authCanary)")

        let lines = logs.all
        #expect(lines.count >= 6, "expected request, response, retry and failure lines, got \(lines)")
        for text in lines + descriptions {
            #expect(!text.contains(canary), "leaked: \(text)")
            #expect(!text.contains(authCanary), "leaked: \(text)")
        }
        #expect(lines.contains { $0.contains("Authorization: <redacted>") })
        #expect(lines.contains { $0.contains("Set-Cookie: <redacted>") })
        #expect(lines.contains { $0.contains("/api/<redacted>") && $0.contains("page=1") })
        #expect(lines.contains { $0.contains("HTTP retry scheduled") })
        #expect(descriptions.count == 2 && descriptions.allSatisfy { $0.contains("<redacted>") })
        #expect(descriptions.first?.contains("no complete response within the timeout") == true)
    }
}
