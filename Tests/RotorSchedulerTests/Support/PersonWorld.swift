import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorHTTP
@testable import RotorSandbox
import RotorTestSupport
import Testing

/// A manual source's world for the person-in-the-loop tests: one store (SQLite or PostgreSQL), an application with
/// `ops` (the playbook's channel) and `oncall` (rotor.yml's `alerts:`) as in-app outboxes, a test clock, and a sandbox
/// Stripe on the same clock.
struct PersonWorld {
    static let config = """
        channels:
          ops: { type: outbox }
          oncall: { type: outbox }
        alerts: { channels: [oncall], remind_every: 24h }
        """

    let shared: SharedStore
    let app: RotorApp
    let clock: TestClock
    let stripeURL: String

    static func with(_ backend: StoreBackend, start: Date, _ body: (PersonWorld) async throws -> Void) async throws {
        let shared = try await SharedStore.make(backend)
        let clock = TestClock(start)
        let stripe = Sandbox(world: .default, deployDuration: .milliseconds(300), now: { clock.now })
        let port = try await stripe.start()
        try await withCleanup({ await stripe.stop(); await shared.remove() }) {
            let app = try await shared.app("person", clock: clock, configPath: try shared.writeConfig(Self.config))
            try await withCleanup({ await app.close() }) {
                try await body(PersonWorld(shared: shared, app: app, clock: clock, stripeURL: "http://127.0.0.1:\(port)"))
            }
        }
    }

    /// The owner rolls the key in the (sandbox) Stripe Dashboard; `expiry` is the roll's body (the old key's expiry).
    func roll(_ expiry: String) async throws -> String {
        var request = HTTPRequest(method: .POST, url: stripeURL + "/_sandbox/stripe/roll", body: Array(expiry.utf8))
        request.headers.add(name: "Content-Type", value: "application/json")
        let response = try await HTTPClient.shared.execute(request)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(json?["key"] as? String, "\(response.status)")
    }

    /// A pass as `rotor tick` runs it, without delivery (the outbox rows are what is checked).
    func tick(_ playbook: Playbook) async throws -> [TickItem] {
        try await app.passWithoutDelivery([playbook])
    }

    func rotations(_ secret: String) async throws -> [RotationRecord] {
        try await app.store.transaction { try $0.rotations(secretName: secret) }
    }

    func notifications(_ secret: String) async throws -> [NotificationRecord] {
        try await app.store.transaction { try $0.notifications(org: nil, secretName: secret, limit: 1_000) }
    }

    func audit() async throws -> [AuditEvent] {
        try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
    }

    /// Every text Rotor keeps or says about `secret`: outbox rows, audit rows, journals, and `extra` (tick items,
    /// results): what a planted value must never appear in.
    func everything(_ playbook: Playbook, extra: [String]) async throws -> String {
        let secret = playbook.secret
        let journal = try await app.store.transaction { tx in
            try tx.rotations(secretName: secret).flatMap { try tx.journal(rotationID: $0.id) }.map { "\($0)" }
        }
        let rows = try await notifications(secret).map { "\($0.subject)\n\($0.body)\n\($0.event ?? "")" }
        let audit = try await audit().map { "\($0)" }
        let status = try await app.secrets.status(playbooks: [playbook], invalid: [:], only: secret).map { "\($0)" }
        return (rows + audit + journal + status + extra).joined(separator: "\n")
    }
}
