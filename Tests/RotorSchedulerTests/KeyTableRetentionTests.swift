import Foundation
import RotorApp
import RotorCore
import RotorKeyTable
import RotorTestSupport
import Testing

/// Revoked customer keys are deleted once `policy.retention` (30 days by default) has passed since their
/// revocation; their audit rows stay, and keys revoked later, in grace or active are kept.
@Suite("Customer key retention", .serialized)
struct KeyTableRetentionTests {
    let day: TimeInterval = 86_400

    static func playbook(retention: String?) -> String {
        """
        secret: customer-api-keys
        schedule: { every: 90d, warn_before: 7d }
        policy:
          max_age: 90d
        \(retention.map { "  retention: \($0)" } ?? "")
        grace: 72h
        source: { provider: key-table }
        targets: []
        """
    }

    @Test(arguments: KeyBackend.allCases)
    func revokedKeysAreDeletedThirtyDaysAfterRevocationAndTheirAuditRowsStay(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend, playbook: Self.playbook(retention: nil)) { apps, clock, _ in
            let app = apps[0]
            let table = app.keyTable(playbooks: app.loadPlaybooks().playbooks)
            let start = clock.now
            let a = try await table.create(org: "acme", name: "a", scopes: [], rateLimit: nil, actor: "t").record
            let b = try await table.create(org: "acme", name: "b", scopes: [], rateLimit: nil, actor: "t").record
            let c = try await table.create(org: "acme", name: "c", scopes: [], rateLimit: nil, actor: "t").record
            _ = try await table.revoke(id: a.id, reason: "leaked", actor: "t")
            let rotation = try await table.rotate(id: b.id, trigger: .manual, actor: "t", reason: nil, deliverByPickup: true)

            func ids() async throws -> Set<String> { Set(try await table.list(org: "acme", status: nil, limit: 100).map(\.id)) }
            func tick(at offset: TimeInterval) async -> [TickItem] {
                clock.set(start.addingTimeInterval(offset))
                return await table.tick(now: clock.now)
            }
            _ = await tick(at: 1 * day)
            _ = await tick(at: 10 * day)  // b's grace ended on day 3: revoked now, on day 10
            _ = try await table.revoke(id: c.id, reason: "customer left", actor: "t")
            #expect(try await ids() == [a.id, b.id, c.id, rotation.new.id])
            _ = await tick(at: 30 * day - 60)
            #expect(try await ids().contains(a.id), "kept until 30 days after its revocation")
            let deleted = await tick(at: 30 * day + 60)
            #expect(try await ids() == [b.id, c.id, rotation.new.id])
            #expect(deleted.contains { $0.action == "keys-deleted" && $0.message.hasPrefix("1 key(s)") })
            _ = await tick(at: 40 * day + 60)
            #expect(try await ids() == [rotation.new.id], "b and c went 30 days after day 10; the active successor stays")
            #expect(try await table.key(id: a.id) == nil)

            let audit = try await app.store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            for id in [a.id, c.id] {
                #expect(Set(audit.filter { $0.subject == id }.map(\.action)) == ["key.created", "key.revoked"], "history of \(id)")
            }
            #expect(audit.contains { $0.subject == b.id && $0.action == "key.revoked" })
        }
    }

    @Test(arguments: KeyBackend.allCases)
    func thePlaybookSetsTheRetention(_ backend: KeyBackend) async throws {
        try await withKeyApps(backend, playbook: Self.playbook(retention: "7d")) { apps, clock, _ in
            let app = apps[0]
            let table = app.keyTable(playbooks: app.loadPlaybooks().playbooks)
            let key = try await table.create(org: "acme", name: "a", scopes: [], rateLimit: nil, actor: "t").record
            _ = try await table.revoke(id: key.id, reason: "leaked", actor: "t")
            clock.advance(by: 6 * day)
            _ = await table.tick(now: clock.now)
            #expect(try await table.key(id: key.id) != nil)
            clock.advance(by: 2 * day)
            _ = await table.tick(now: clock.now)
            #expect(try await table.key(id: key.id) == nil)
        }
    }

    @Test func retentionAndPassBudgetBelongToTheKeyTablePlaybookOnly() throws {
        let text = """
            secret: api-token
            schedule: { every: 30d }
            policy: { retention: 7d, pass_budget: 5s }
            source: { provider: random }
            targets: [{ provider: file, path: /tmp/out.env, key: TOKEN }]
            """
        let (playbook, diagnostics) = PlaybookParser(catalog: ProviderRegistry.catalog).parse(file: "token.yml", text: text)
        let messages = diagnostics.map(\.message)
        #expect(playbook == nil)
        #expect(messages.contains("policy.retention applies only to the customer key table"), "\(messages)")
        #expect(messages.contains("policy.pass_budget applies only to the customer key table"), "\(messages)")
    }
}
