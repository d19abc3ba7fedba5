import Foundation
import RotorHTTP
import Testing
@testable import RotorSandbox

/// A sandbox listening on a free loopback port, called through RotorHTTP's libcurl client as an
/// adapter would call the real APIs.
struct SandboxHarness {
    static let vercelToken = "sandbox-vercel-token"
    static let renderToken = "sandbox-render-token"
    static let vendorAdmin = "sandbox-vendor-admin"

    let sandbox: Sandbox
    let baseURL: String

    /// Starts a sandbox, runs `body` against it, and stops it even when `body` throws. With a `clock`,
    /// the sandbox's time (and so every deploy's progress) moves only when the test advances it.
    static func with<T>(
        world: SandboxWorld = .default, deployDuration: Duration = .milliseconds(200), clock: ManualClock? = nil,
        _ body: (SandboxHarness) async throws -> T
    ) async throws -> T {
        let sandbox = clock.map { clock in Sandbox(world: world, deployDuration: deployDuration, now: { clock.now }) }
            ?? Sandbox(world: world, deployDuration: deployDuration)
        let port = try await sandbox.start()
        let harness = SandboxHarness(sandbox: sandbox, baseURL: "http://127.0.0.1:\(port)")
        do {
            let result = try await body(harness)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    /// Sends a request; `json` is sent as the body with `Content-Type: application/json`.
    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil, headers: [(String, String)] = []
    ) async throws -> Reply {
        var request = HTTPRequest(method: method, url: baseURL + path, body: json.map { Array($0.utf8) })
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if json != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.timeout = .seconds(10)
        return Reply(try await HTTPClient.shared.execute(request))
    }

    @discardableResult
    func vercel(_ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = vercelToken) async throws -> Reply {
        try await send(method, "/vercel" + path, token: token, json: json)
    }

    @discardableResult
    func render(_ method: HTTPMethod, _ path: String, json: String? = nil, token: String? = renderToken) async throws -> Reply {
        try await send(method, "/render/v1" + path, token: token, json: json)
    }

    /// Posts a fault to `/_sandbox/faults` and expects it accepted.
    func inject(_ json: String) async throws {
        let reply = try await send(.POST, "/_sandbox/faults", json: json)
        try #require(reply.status == 201, "fault refused: \(reply.text)")
    }

    /// Polls `condition` every 25 ms until it holds; fails the test after `timeout`.
    func eventually(
        _ what: String, timeout: Duration = .seconds(5), _ condition: () async throws -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
        throw HarnessTimeout()
    }

    struct HarnessTimeout: Error {}
}

/// A response with its body parsed as JSON when it is JSON.
struct Reply {
    let status: Int
    let headers: HTTPHeaders
    let text: String
    let json: JSONValue?

    init(_ response: HTTPResponse) {
        status = response.status
        // The RotorHTTP in this branch leaves "\r\n" on header values ("\r\n" is one Character in
        // Swift, which its suffix check misses); the http branch fixes it. Trimming here keeps these
        // tests about the sandbox, and is harmless once the fix is merged.
        headers = HTTPHeaders(response.headers.map { ($0.name, $0.value.trimmingCharacters(in: .whitespacesAndNewlines)) })
        text = response.bodyText
        json = response.body.isEmpty ? nil : try? JSONValue.parse(response.body)
    }

    /// The body's member `key` (or fails the test when the body is not an object holding it).
    subscript(key: String) -> JSONValue {
        get throws { try #require(json?[key], "no \"\(key)\" in \(text)") }
    }
}

extension JSONValue {
    /// `self[key]`, failing the test when absent.
    func require(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        try #require(self[key], "no \"\(key)\" in \(serialized)", sourceLocation: sourceLocation)
    }

    func string(_ key: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        try #require(self[key]?.stringValue, "no string \"\(key)\" in \(serialized)", sourceLocation: sourceLocation)
    }

    func array(sourceLocation: SourceLocation = #_sourceLocation) throws -> [JSONValue] {
        try #require(arrayValue, "not an array: \(serialized)", sourceLocation: sourceLocation)
    }
}
