import Foundation
import RotorCore
import RotorSandbox
import RotorTestSupport
import Testing

/// A full rotation of an OpenAI-style key across 2 Vercel projects, 2 Render services and the env group,
/// through the rotor binary and real libcurl against the sandbox, with the apps probed all along.
@Suite("Sandbox end to end", .serialized)
struct SandboxEndToEndTests {
    static let apps = ["web-app", "docs-site", "srv-api", "srv-worker"]

    /// The health probes of every app: how many ran, per app, and which failed.
    final class Probe: @unchecked Sendable {
        // Written by the probing task, read while and after it runs; guarded by the lock.
        private let lock = NSLock()
        private var failures: [String] = []
        private var perApp: [String: Int] = [:]
        func record(_ app: String, _ status: Int) {
            lock.withLock {
                perApp[app, default: 0] += 1
                if status != 200 { failures.append("\(app): \(status)") }
            }
        }
        var result: (probes: Int, failures: [String]) { lock.withLock { (perApp.values.reduce(0, +), failures) } }
        /// Probes run so far, per app.
        var counts: [String: Int] { lock.withLock { perApp } }
    }

    /// Probes every app's health while `body` runs, starting once each app answered a first probe, so that
    /// `body` runs under observation; returns the probes taken.
    static func whileProbing(_ sandbox: Sandbox, _ body: (Probe) async throws -> Void) async throws -> Probe {
        let probe = Probe()
        let probing = Task.detached {
            while !Task.isCancelled {
                for app in apps {
                    let healthy = await sandbox.isHealthy(app: app)
                    probe.record(app, healthy ? 200 : 503)
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        try await withCleanup({ probing.cancel(); _ = await probing.value }) {
            try await eventually("every app answered a first health probe") { probe.counts.count == apps.count }
            try await body(probe)
        }
        return probe
    }

    /// Every app was probed again between `before` and `after`: the claim "healthy during" was checked.
    static func expectProbedBetween(_ before: [String: Int], _ after: [String: Int],
                                    sourceLocation: SourceLocation = #_sourceLocation) {
        for app in apps {
            #expect(after[app, default: 0] > before[app, default: 0], "no health probe of \(app) ran meanwhile",
                    sourceLocation: sourceLocation)
        }
    }

    static func world(_ backend: Backend) async throws -> (World, Sandbox) {
        let world = try await World.make(backend)
        let sandbox = Sandbox(deployDuration: .milliseconds(200))
        let port = try await sandbox.start(host: "127.0.0.1", port: 0)
        let base = "http://127.0.0.1:\(port)"
        let template = try String(contentsOfFile: #filePath.replacingOccurrences(of: "Tests/RotorCLITests/SandboxEndToEndTests.swift",
                                                                                   with: "Tests/Fixtures/vendor-key-playbook.yml"), encoding: .utf8)
        try template.replacingOccurrences(of: "http://127.0.0.1:8790", with: base)
            .replacingOccurrences(of: "interval: 1s", with: "interval: 1s")
            .write(toFile: "\(world.dir)/Playbooks/openai-api-key.yml", atomically: true, encoding: .utf8)
        // The playbook alerts `ops`, which rotor.yml must define.
        try "channels:\n  ops: { type: outbox }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
        #expect(try await world.run(["init"]).status == 0)
        let handle = try #require(try await sandbox.vendorKeyID(name: "initial"))
        let imported = try await world.run(["import", "openai-api-key", "--handle", handle], stdin: sandbox.initialKey)
        try #require(imported.status == 0, "\(imported)")
        return (world, sandbox)
    }

    static let tokens = ["VERCEL_TOKEN": "sandbox-vercel-token", "RENDER_API_KEY": "sandbox-render-token",
                         "VENDOR_ADMIN_TOKEN": "sandbox-vendor-admin"]

    @Test(arguments: Backend.allCases)
    func fullRotationAcrossVercelAndRenderKeepsEveryAppHealthyAndRevokesAfterGrace(_ backend: Backend) async throws {
        let (world, sandbox) = try await Self.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            let probe = try await Self.whileProbing(sandbox) { probe in
                let before = probe.counts
                let rotated = try await world.run(["rotate", "openai-api-key"], env: Self.tokens)
                #expect(rotated.status == 0, "\(rotated)")
                Self.expectProbedBetween(before, probe.counts)
                let new = try await world.withStore { tx, sealer in
                    try World.open(try #require(try tx.version(secretName: "openai-api-key", label: .current)), sealer)
                }
                for app in Self.apps {
                    #expect(await sandbox.liveValue(app: app, key: "OPENAI_API_KEY") == new, "\(app) runs on the new key")
                }
                #expect(await sandbox.isVendorKeyLive(sandbox.initialKey), "the old key stays valid through grace")

                let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(25 * 3600))], env: Self.tokens)
                #expect(tick.status == 0, "\(tick)")
                #expect(await !sandbox.isVendorKeyLive(sandbox.initialKey), "revoked at the vendor after grace")
                #expect(await sandbox.isVendorKeyLive(new))
            }
            let (probes, failures) = probe.result
            #expect(probes > 20)
            #expect(failures.isEmpty, "apps unhealthy during the rotation: \(failures.prefix(5))")
        }
    }

    @Test(arguments: Backend.allCases)
    func aFailedRenderDeployRollsEveryTargetBackAndRevokesTheNewKey(_ backend: Backend) async throws {
        let (world, sandbox) = try await Self.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            _ = try await sandbox.inject(.failDeploy(service: "srv-worker", count: 1))
            let probe = try await Self.whileProbing(sandbox) { probe in
                let before = probe.counts
                let rotated = try await world.run(["rotate", "openai-api-key"], env: Self.tokens)
                #expect(rotated.status == 1, "\(rotated)")
                Self.expectProbedBetween(before, probe.counts)
                #expect(rotated.stdout.contains("rolled back"))
                for app in Self.apps {
                    #expect(await sandbox.liveValue(app: app, key: "OPENAI_API_KEY") == sandbox.initialKey, "\(app) holds the old key again")
                }
                #expect(await sandbox.envValue(envGroup: "evg-shared", key: "OPENAI_API_KEY") == sandbox.initialKey)
                let failedValue = try await world.withStore { tx, sealer in
                    try World.open(try #require(try tx.versions(secretName: "openai-api-key").first { $0.label == .failed }), sealer)
                }
                #expect(await !sandbox.isVendorKeyLive(failedValue), "the new key was revoked at the vendor")
                #expect(await sandbox.isVendorKeyLive(sandbox.initialKey))
            }
            #expect(probe.result.probes > 0)
            #expect(probe.result.failures.isEmpty, "apps unhealthy during the rollback: \(probe.result.failures.prefix(5))")
        }
    }
}

@Suite("Emergency", .serialized)
struct EmergencyEndToEndTests {
    @Test(arguments: Backend.allCases)
    func anEmergencyRotationGoesLiveEverywhereAndRevokesTheLeakedKeyAtOnce(_ backend: Backend) async throws {
        let (world, sandbox) = try await SandboxEndToEndTests.world(backend)
        try await withCleanup({ await sandbox.stop(); await world.close() }) {
            let started = ContinuousClock.now
            let result = try await world.run(["emergency", "openai-api-key", "--reason", "pasted in a public issue", "--revoke-immediately", "--yes"],
                                             env: SandboxEndToEndTests.tokens)
            let elapsed = ContinuousClock.now - started
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("emergency rotation of openai-api-key"))
            let new = try await world.withStore { tx, sealer in
                try World.open(try #require(try tx.version(secretName: "openai-api-key", label: .current)), sealer)
            }
            for app in ["web-app", "docs-site", "srv-api", "srv-worker"] {
                #expect(await sandbox.liveValue(app: app, key: "OPENAI_API_KEY") == new)
                #expect(await sandbox.isHealthy(app: app))
            }
            #expect(await !sandbox.isVendorKeyLive(sandbox.initialKey), "the leaked key is revoked without waiting for grace")
            let rotation = try await world.withStore { tx, _ in try tx.rotations(secretName: "openai-api-key").first }
            #expect(rotation?.trigger == .emergency)
            #expect(rotation?.state == .completed)
            print("emergency trigger-to-live (\(backend.rawValue), 200 ms sandbox deploys): \(elapsed)")
        }
    }

    @Test func anEmergencyOnACustomerKeyByPrefixHandsTheSuccessorToTheCustomer() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let created = try JSONSerialization.jsonObject(with: Data(try await world.run(["keys", "create", "--org", "acme", "--json"]).stdout.utf8)) as! [String: Any]
            let key = created["key"] as! String
            let prefix = String(key.prefix(12))
            let result = try await world.run(["emergency", "--prefix", prefix, "--reason", "leaked in an app build"])
            #expect(result.status == 0, "\(result)")
            let claim = try await world.run(["keys", "claim", "--old-key-stdin", "--json"], stdin: key)
            #expect(claim.status == 0, "\(claim)")
            let notices = try await world.withStore { tx, _ in try tx.notifications(org: "acme", secretName: nil, limit: 10) }
            #expect(notices.contains { $0.urgent && $0.kind == "key_rotated" })
            let id = created["id"] as! String
            let graceEnds = try await world.withStore { tx, _ in try tx.apiKey(id: id)?.graceEndsAt }
            let hours = try #require(graceEnds).timeIntervalSinceNow / 3600
            #expect(hours > 3.9 && hours <= 4.0, "emergency grace is 4h by default, got \(hours)h")
        }
    }
}
