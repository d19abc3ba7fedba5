import Foundation
@testable import ProviderRender
@testable import ProviderVercel
import RotorCore
import RotorHTTP
@testable import RotorSandbox
import Synchronization
import Testing

/// Many Render targets written at once under Render's budgets: the rate-limit gates hold the writes back
/// until the window resets instead of provoking 429s. The sandbox and the gates share a clock that moves
/// only when the gates wait, so a minute's window passes without a minute of waiting.
@Suite("Render rate limits")
struct RenderRateLimitTests {
    @Test func moreWritesThanTheBudgetAllWaitForTheResetWithoutA429() async throws {
        let services = (0..<12).map { SandboxWorld.Service(id: String(format: "srv-rl%02d", $0), name: "rl-\($0)") }
        var world = SandboxWorld.default
        world.render.services += services
        world.render.rateLimits = .init(readsPerMinute: 400, writesPerMinute: 4, deploysPerMinute: 10)
        let clock = SteppedClock()
        let gates = RateLimitGates(now: { clock.now }, waitUntil: { clock.advance(to: $0) })
        let started = clock.now
        try await AdapterHarness.with(world: world, now: { clock.now }, rateLimits: gates) { h in
            let value = try await h.mintVendorKey()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for service in services {
                    group.addTask {
                        let target = h.render(["service": .string(service.id)])
                        let api = try await target.session(secrets: [value])
                        _ = try await target.write(value, in: api, h.context())
                    }
                }
                try await group.waitForAll()
            }
            #expect(await h.sandbox.renderRateLimited() == 0)
            for service in services {
                #expect(await h.sandbox.envValue(service: service.id, key: "OPENAI_API_KEY") == value.revealed)
            }
            // Twelve writes at four a minute: the last four wait for the second reset.
            #expect(clock.now.timeIntervalSince(started) >= 120)
            #expect(h.logs.all.filter { $0.contains("HTTP retry scheduled") }.isEmpty)
        }
    }

    @Test func callsSpendTheBudgetsRenderDocuments() {
        let render = RenderDialect(label: "render", tokenReference: "env:RENDER_API_KEY")
        #expect(render.rateLimitBucket(method: .GET, path: "/services/srv-a/env-vars") == "read")
        #expect(render.rateLimitBucket(method: .PUT, path: "/services/srv-a/env-vars/KEY") == "write")
        #expect(render.rateLimitBucket(method: .DELETE, path: "/env-groups/evg-a/env-vars/KEY") == "write")
        #expect(render.rateLimitBucket(method: .POST, path: "/services/srv-a/deploys") == "deploy srv-a")
        #expect(render.rateLimitBucket(method: .POST, path: "/services/srv-b/deploys") == "deploy srv-b")
    }

    @Test func vercelBucketsAreEndpointsWithoutVersionsOrIds() {
        let vercel = VercelDialect(label: "vercel", tokenReference: "env:VERCEL_TOKEN", team: nil)
        #expect(vercel.rateLimitBucket(method: .POST, path: "/v10/projects/web/env") == "POST projects/env")
        #expect(vercel.rateLimitBucket(method: .POST, path: "/v10/projects/api/env") == "POST projects/env")
        #expect(vercel.rateLimitBucket(method: .PATCH, path: "/v9/projects/web/env/env_1") == "PATCH projects/env")
        #expect(vercel.rateLimitBucket(method: .GET, path: "/v13/deployments/dpl_1") == "GET deployments")
    }

    @Test func withoutTheGatesTheSameBurstIsRefused() async throws {
        let services = (0..<12).map { SandboxWorld.Service(id: String(format: "srv-rl%02d", $0), name: "rl-\($0)") }
        var world = SandboxWorld.default
        world.render.services += services
        world.render.rateLimits = .init(readsPerMinute: 400, writesPerMinute: 4, deploysPerMinute: 10)
        let clock = SteppedClock()
        try await AdapterHarness.with(world: world, policy: RetryPolicy(maxAttempts: 1), now: { clock.now }) { h in
            let value = try await h.mintVendorKey()
            let failures = await withTaskGroup(of: Bool.self) { group in
                for service in services {
                    group.addTask {
                        let target = h.render(["service": .string(service.id)])
                        do {
                            _ = try await target.write(value, in: try await target.session(secrets: [value]), h.context())
                            return false
                        } catch {
                            return true
                        }
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(failures == 8)
            #expect(await h.sandbox.renderRateLimited() == 8)
        }
    }
}

/// A clock that moves only when told: a wait of the gates moves it to the end of that wait, never back
/// (so several waits for the same reset move it once).
private final class SteppedClock: Sendable {
    private let current = Mutex(Date())

    var now: Date { current.withLock { $0 } }

    func advance(to date: Date) {
        current.withLock { now in now = max(now, date) }
    }
}
