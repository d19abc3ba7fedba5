import Foundation
import Logging
import ProviderRender
import ProviderVercel
import RotorCore
import RotorHTTP
@testable import RotorSandbox
import RotorTestSupport
import Testing

/// A sandbox on a free loopback port and everything an adapter needs to talk to it through libcurl:
/// a retrying client, credentials, step contexts, and a log that captures every line.
struct AdapterHarness {
    static let vercelToken = "sandbox-vercel-token"
    static let renderToken = "sandbox-render-token"

    let sandbox: Sandbox
    let baseURL: String
    let client: RetryingHTTPClient
    let logs: CapturingLogHandler.Store
    let environment: [String: String]
    /// The prior values targets journal, shared by every context of the test as by one rotation.
    let priors = PriorBox()

    /// Starts a sandbox (deploys take 200 ms), runs `body`, and stops everything even when `body` throws.
    /// With `now`, the sandbox reads the time from it; with `rateLimits`, vendor calls go through those gates.
    static func with<T>(
        world: SandboxWorld = .default, policy: RetryPolicy = .init(),
        environment: [String: String] = ["VERCEL_TOKEN": vercelToken, "RENDER_API_KEY": renderToken],
        now: (@Sendable () -> Date)? = nil, rateLimits: RateLimitGates? = nil,
        _ body: (AdapterHarness) async throws -> T
    ) async throws -> T {
        let logs = CapturingLogHandler.Store()
        let sandbox = now.map { Sandbox(world: world, deployDuration: .milliseconds(200), now: $0) }
            ?? Sandbox(world: world, deployDuration: .milliseconds(200))
        let port = try await sandbox.start()
        let http = HTTPClient(logger: CapturingLogHandler.logger("rotor.http", into: logs))
        let client = RetryingHTTPClient(client: http, policy: policy, rateLimits: rateLimits)
        let harness = AdapterHarness(sandbox: sandbox, baseURL: "http://127.0.0.1:\(port)",
                                     client: client, logs: logs, environment: environment)
        defer { http.shutdown() }
        do {
            let result = try await body(harness)
            await sandbox.stop()
            return result
        } catch {
            await sandbox.stop()
            throw error
        }
    }

    // MARK: Targets

    /// A Vercel target on the sandbox; `fields` add to or override `project: web-app, key: OPENAI_API_KEY`.
    func vercel(_ fields: [String: ConfigValue] = [:]) -> VercelTarget {
        var all: [String: ConfigValue] = ["project": .string("web-app"), "key": .string("OPENAI_API_KEY"), "api": .string(baseURL + "/vercel")]
        all.merge(fields) { $1 }
        var target = VercelTarget(config: config("vercel", all), client: client, credentials: credentials)
        target.endpoint.pollInterval = .milliseconds(50)
        target.endpoint.deployTimeout = .seconds(10)
        return target
    }

    /// A Render target on the sandbox; `fields` add to or override `key: OPENAI_API_KEY` (give `service` or `env_group`).
    func render(_ fields: [String: ConfigValue]) -> RenderTarget {
        var all: [String: ConfigValue] = ["key": .string("OPENAI_API_KEY"), "api": .string(baseURL + "/render/v1")]
        all.merge(fields) { $1 }
        var target = RenderTarget(config: config("render", all), client: client, credentials: credentials)
        target.endpoint.pollInterval = .milliseconds(50)
        target.endpoint.deployTimeout = .seconds(10)
        return target
    }

    var credentials: CredentialResolver {
        CredentialResolver(environment: environment, store: nil, sealer: nil)
    }

    private func config(_ provider: String, _ fields: [String: ConfigValue]) -> ProviderConfig {
        ProviderConfig(provider: provider, kind: .target, index: 0, label: provider, fields: fields,
                       location: PlaybookLocation(file: "test.yml", line: 1, column: 1))
    }

    // MARK: Steps

    /// A step context whose checkpoints land in `box` and prior values in `priors` (by default the
    /// harness's), logging into the harness's log. `hasPreviousVersion`: whether Rotor's store would hold
    /// the version in use.
    func context(_ box: CheckpointBox = CheckpointBox(), lastCheckpoint: String? = nil, step: RotationStep = .propagate(0),
                 priors: PriorBox? = nil, hasPreviousVersion: Bool = true) -> StepContext {
        let priors = priors ?? self.priors
        let index = PriorBox.target(of: step)
        return StepContext(secret: "openai-api-key", rotationID: "rot_test", step: step, idempotencyKey: "rot_test:\(step.key)",
                           lastCheckpoint: lastCheckpoint, logger: CapturingLogHandler.logger("rotor.step", into: logs),
                           clock: SystemClock(), checkpoint: { try box.record($0) }, hasPreviousVersion: hasPreviousVersion,
                           checkpointPrior: { bytes in if let index { priors.record(bytes, target: index) } },
                           priorValue: { index.flatMap { priors.value(target: $0) } })
    }

    // MARK: The world

    /// A new key that the sandbox's vendor accepts, so apps using it are healthy.
    func mintVendorKey() async throws -> SecretValue {
        var request = HTTPRequest(method: .POST, url: baseURL + "/vendor/keys", body: Array(#"{"name":"adapter-test"}"#.utf8))
        request.headers.add(name: "Authorization", value: "Bearer sandbox-vendor-admin")
        request.headers.add(name: "Content-Type", value: "application/json")
        let response = try await client.execute(request)
        try #require(response.status == 201, "mint failed: \(response.status)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return SecretValue(try #require(object["value"] as? String))
    }

    /// The status of the app's health endpoint, read over HTTP as a monitor would.
    func healthStatus(app: String) async throws -> Int {
        try await client.execute(HTTPRequest(method: .GET, url: baseURL + "/apps/\(app)/health")).status
    }
}

/// Runs `body`, which must throw an `E`, and returns that error.
func expectError<E: Error>(_ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation,
                           _ body: () async throws -> Void) async throws -> E {
    do {
        try await body()
    } catch let error as E {
        return error
    }
    Issue.record("expected \(E.self), but nothing was thrown", sourceLocation: sourceLocation)
    throw MissingError()
}

struct MissingError: Error {}

extension AdapterHarness {
    /// Sends a request to the sandbox as an operator (or the dashboard) would; returns the status and the JSON body.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, token: String? = nil, json: String? = nil) async throws -> (status: Int, body: Any?) {
        var request = HTTPRequest(method: method, url: baseURL + path, body: json.map { Array($0.utf8) })
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if json != nil { request.headers.add(name: "Content-Type", value: "application/json") }
        let response = try await client.execute(request)
        return (response.status, response.body.isEmpty ? nil : try? JSONSerialization.jsonObject(with: Data(response.body)))
    }

    /// Revokes the sandbox's initial vendor key, as the revoke step of a rotation would.
    func revokeInitialKey() async throws {
        let state = try #require(try await send(.GET, "/_sandbox/state").body as? [String: Any])
        let keys = try #require((state["vendor"] as? [String: Any])?["keys"] as? [[String: Any]])
        let id = try #require(keys.first?["id"] as? String)
        #expect(try await send(.DELETE, "/vendor/keys/\(id)", token: "sandbox-vendor-admin").status == 200)
    }

    /// The Vercel variables of `project` called `key`, as listed (ids, types, target lists; no values).
    func vercelVariables(project: String = "web-app", key: String) async throws -> [[String: Any]] {
        let page = try #require(try await send(.GET, "/vercel/v8/projects/\(project)/env?limit=100", token: Self.vercelToken).body as? [String: Any])
        return (page["envs"] as? [[String: Any]] ?? []).filter { $0["key"] as? String == key }
    }

    /// What a Render service's live deploy runs: its commit id, or its image ref.
    func liveSource(service: String) async throws -> String? {
        let list = try #require(try await send(.GET, "/render/v1/services/\(service)/deploys?status=live&limit=1",
                                               token: Self.renderToken).body as? [[String: Any]])
        let deploy = try #require(list.first?["deploy"] as? [String: Any])
        return (deploy["commit"] as? [String: Any])?["id"] as? String ?? (deploy["image"] as? [String: Any])?["ref"] as? String
    }

    /// Polls until `app` answers 200; fails the test after 5 seconds.
    func waitHealthy(app: String) async throws {
        for _ in 0..<200 {
            if try await healthStatus(app: app) == 200 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
        Issue.record("\(app) never became healthy")
    }
}
