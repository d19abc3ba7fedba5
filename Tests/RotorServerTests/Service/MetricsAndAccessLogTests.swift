import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import RotorTestSupport
import Testing
@testable import RotorServer

/// `GET /metrics` behind the admin token, the store-derived gauges, and an access log that never carries a
/// token, a reply code or a key. (The scrape of a real daemon is `ObservabilityTests` in RotorCLITests.)
@Suite("Metrics and access log")
struct MetricsAndAccessLogTests {
    @Test func metricsAnswersOnlyTheAdminToken() async throws {
        let world = try await ServerWorld.make()
        try await world.test { client in
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
            for token in ["wrong", String(repeating: "A", count: 8_000), "admin-token-for-tests\u{0}x"] {
                let refused = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(refused.status == .unauthorized)
            }
            let scrape = try await client.execute(uri: "/metrics", method: .get,
                                                  headers: [.authorization: "Bearer admin-token-for-tests"])
            #expect(scrape.status == .ok)
            #expect(scrape.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            #expect(!scrape.text.contains(ServerWorld.importedValue))
        }
    }

    @Test func metricsWithoutAnAdminTokenIsDisabled() async throws {
        let world = try await ServerWorld.make(adminToken: nil)
        try await world.test { client in
            let response = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer x"])
            #expect(response.status == .serviceUnavailable)
        }
    }

    /// What the gauges are set from: the secret's age since its value went live and its max_age, the outbox
    /// waiting, and no lease held while nothing rotates.
    @Test func storeGaugesReadAgesOutboxAndLeases() async throws {
        let world = try await ServerWorld.make(playbook: ServerWorld.playbook(maxAge: 30 * ServerWorld.day))
        try await world.store.transaction { tx in
            for (index, status) in [NotificationStatus.pending, .pending, .sending, .sent, .failed].enumerated() {
                try tx.enqueueNotification(NotificationRecord(
                    id: "n\(index)", channel: "ops", org: nil, secretName: ServerWorld.secret, kind: "alert", urgent: false,
                    subject: "s", body: "b", dedupeKey: "d\(index)", status: status, attempts: 0, nextAttemptAt: ServerWorld.start,
                    leaseOwner: nil, leaseExpiresAt: nil, lastError: nil, createdAt: ServerWorld.start, sentAt: nil, event: nil))
            }
        }
        world.clock.advance(by: 3_600)
        let reading = try await StoreGauges(store: world.store, playbooks: [world.playbook], clock: world.clock).read()
        let secret = try #require(reading.secrets[ServerWorld.secret])
        #expect(secret.age == 3_600)
        #expect(secret.maxAge == 30 * ServerWorld.day)
        #expect(reading.outboxDepth == 3)
        #expect(reading.leasesHeld == 0)
        await world.close()
    }

    @Test func theAccessLogNamesRoutesNeverTokens() async throws {
        let (logger, logs) = CapturingLogHandler.logger(label: "rotor.server.tests")
        let world = try await ServerWorld.make(logger: logger)
        let canary = "canaryTOKEN" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        try await world.live { client in
            _ = try await client.execute(uri: "/r/\(canary)?code=\(canary)", method: .get)
            _ = try await client.execute(uri: "/s/\(canary)", method: .get)
            _ = try await client.execute(uri: "/\(canary)", method: .post)
            _ = try await client.execute(uri: "/v1/keys/verify", method: .post, body: ByteBuffer(string: #"{"key":"\#(canary)"}"#))
            _ = try await client.execute(uri: "/metrics?token=\(canary)", method: .get, headers: [.authorization: "Bearer \(canary)"])
        }
        let access = logs.all.filter { $0.hasPrefix("info http request") }
        #expect(access.count == 5, "\(logs.all)")
        for path in ["/r/{token}", "/s/{token}", "/…", "/v1/keys/verify", "/metrics"] {
            #expect(access.contains { $0.contains("http.path=\(path) ") }, "\(path): \(access)")
        }
        #expect(access.allSatisfy { $0.contains("http.client=127.0.0.1") && $0.contains("http.status=") })
        #expect(!logs.all.contains { $0.contains(canary) }, "\(logs.all.filter { $0.contains(canary) })")
    }

    @Test(arguments: [
        (nil, "/", "/"), (nil, "", "/"), (nil, "/healthz", "/healthz"), (nil, "/r/abc/def", "/r/…"),
        (nil, "/abc123", "/…"), (nil, "/metrics/x%0Ay", "/metrics/…"), ("/r/{token}", "/r/secret", "/r/{token}"),
        (nil, "/" + String(repeating: "v1/", count: 5_000), "/v1/…"), ("NotFound", "/x", "/…"),
    ] as [(String?, String, String)])
    func loggedPathsKeepOnlyRoutesAndRotorsOwnSegments(_ route: String?, _ path: String, _ logged: String) {
        #expect(AccessLogMiddleware.loggedPath(route: route, path: path) == logged)
    }
}
