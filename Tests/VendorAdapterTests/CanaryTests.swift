import Foundation
import ProviderRender
import ProviderVercel
import RotorCore
import RotorHTTP
import RotorSandbox
import Testing

/// Plants a recognisable token and value, drives the adapters through successes and every kind of
/// failure, and searches every error description and every captured log line for them.
@Suite("Tokens and values never leak")
struct CanaryTests {
    static let vercelToken = "canary-vercel-token-7Q2xKp"
    static let renderToken = "canary-render-token-9Zr4Wm"
    static let wrongToken = "canary-wrong-token-3Hn8Lc"
    static let value = "sk-canary-value-5Tb1Vy"
    static let canaries = [vercelToken, renderToken, wrongToken, value]

    @Test func noErrorOrLogLineContainsTheTokenOrTheValue() async throws {
        var world = SandboxWorld()
        world.vercel.token = Self.vercelToken
        world.render.token = Self.renderToken
        let environment = ["VERCEL_TOKEN": Self.vercelToken, "RENDER_API_KEY": Self.renderToken, "WRONG": Self.wrongToken]
        var errors: [String] = []
        // Short backoffs: the 500s and the refused connection below are retried, and only their logging matters here.
        let policy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(100))
        try await AdapterHarness.with(world: world, policy: policy, environment: environment) { h in
            let value = SecretValue(Self.value)
            try await h.vercel().apply(value, h.context())
            try await h.render(["service": .string("srv-api")]).apply(value, h.context())
            try await h.render(["env_group": .string("evg-shared")]).apply(value, h.context())
            #expect(await h.sandbox.liveValue(app: "srv-worker", key: "OPENAI_API_KEY") != nil)

            try await h.sandbox.inject(.failDeploy(project: "web-app"))
            try await h.sandbox.inject(.failDeploy(service: "srv-api"))
            try await h.sandbox.inject(.status(500, target: .vercel, pathPrefix: "/v9/projects", count: 10))
            let failing: [@Sendable () async throws -> Void] = [
                { try await h.vercel().apply(value, h.context()) },
                { try await h.vercel().apply(value, h.context()) },
                { try await h.vercel(["token": .string("env:WRONG")]).apply(value, h.context()) },
                { try await h.vercel(["project": .string("nope")]).apply(value, h.context()) },
                { try await h.vercel(["type": .string("secret")]).apply(value, h.context()) },
                { try await h.render(["service": .string("srv-api")]).apply(value, h.context()) },
                { try await h.render(["service": .string("srv-api"), "token": .string("env:WRONG")]).apply(value, h.context()) },
                { try await h.render(["service": .string("srv-nope")]).apply(value, h.context()) },
                { try await h.render(["service": .string("srv-api"), "api": .string("http://127.0.0.1:1/render/v1")]).apply(value, h.context()) },
            ]
            for attempt in failing {
                do {
                    try await attempt()
                    Issue.record("expected a failure")
                } catch {
                    errors.append("\(error)")
                }
            }
            #expect(Set(errors.map { $0.prefix(40) }).count > 5, "the failures should be of different kinds")
            let lines = h.logs.all
            #expect(lines.contains { $0.contains("HTTP response") }, "the HTTP client's log was captured")
            #expect(lines.contains { $0.contains("<redacted>") }, "the Authorization header was logged redacted")
            for text in errors + lines {
                for canary in Self.canaries {
                    #expect(!text.contains(canary), "leaked: \(text)")
                }
            }
        }
    }
}
