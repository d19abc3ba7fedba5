import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// The key-table playbook through the `rotor` binary: customer notices (a new key ready, its pickup) go to the
/// channels its `notify:` names, else to rotor.yml's `outbox` channels whatever their name; `validate` reports a
/// setup that leaves them nowhere to go; `status` summarises the customer keys instead of asking for an import.
@Suite("Key-table playbook", .serialized)
struct KeyTablePlaybookTests {
    struct Created: Decodable { var id: String; var key: String }

    static func writeKeyTable(_ world: World, notify: [String]) throws {
        let text = """
            secret: customer-api-keys
            schedule: { every: 90d, warn_before: 7d }
            policy: { max_age: 90d }
            grace: 72h
            source:
              provider: key-table
            targets: []
            checks: []
            notify: [\(notify.joined(separator: ", "))]
            """
        try text.write(toFile: "\(world.dir)/Playbooks/customer-api-keys.yml", atomically: true, encoding: .utf8)
    }

    static func writeConfig(_ world: World, _ text: String) throws {
        try text.write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
    }

    /// Creates a key for `org` and lets Rotor rotate it (the new key goes to a pickup slot); returns the old key's id.
    static func createAndRotate(_ world: World, org: String = "acme") async throws -> String {
        let create = try await world.run(["keys", "create", "--org", org, "--json"])
        try #require(create.status == 0, "\(create)")
        let id = try JSONDecoder().decode(Created.self, from: Data(create.stdout.utf8)).id
        let rotated = try await world.run(["keys", "rotate", id, "--deliver", "pickup"])
        try #require(rotated.status == 0, "\(rotated)")
        return id
    }

    static func notices(_ world: World, org: String = "acme") async throws -> [NotificationRecord] {
        try await world.withStore { tx, _ in try tx.notifications(org: org, secretName: nil, limit: 100) }
    }

    @Test(arguments: Backend.allCases)
    func noticesGoToAnOutboxChannelOfAnyNameWhenThePlaybookNamesNone(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try Self.writeConfig(world, "channels:\n  customers: { type: outbox }\n")
            try Self.writeKeyTable(world, notify: [])
            #expect(try await world.run(["init"]).status == 0)
            let validate = try await world.run(["validate"])
            #expect(validate.status == 0, "\(validate)")

            _ = try await Self.createAndRotate(world)
            let tick = try await world.run(["tick"])
            #expect(tick.status == 0, "no notice is given up: \(tick)")
            let notices = try await Self.notices(world)
            let rotated = try #require(notices.first { $0.kind == "key_rotated" })
            #expect(notices.filter { $0.kind == "key_rotated" }.map(\.channel) == ["customers"])
            #expect(rotated.status == .sent, "\(rotated.lastError ?? "")")
            #expect(rotated.body.contains("Claim the new key"))
        }
    }

    @Test func noticesGoToTheChannelsThePlaybookNames() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try Self.writeConfig(world, "channels:\n  customers: { type: outbox }\n  portal: { type: outbox }\n  app-inbox: { type: outbox }\n")
            try Self.writeKeyTable(world, notify: ["portal", "app-inbox"])
            #expect(try await world.run(["init"]).status == 0)
            _ = try await Self.createAndRotate(world)
            #expect(try await world.run(["tick"]).status == 0)
            let rotated = try await Self.notices(world).filter { $0.kind == "key_rotated" }
            #expect(rotated.map(\.channel).sorted() == ["app-inbox", "portal"], "not the unnamed outbox channel")
            #expect(rotated.allSatisfy { $0.status == .sent })
        }
    }

    @Test func validateReportsAKeyTablePlaybookWithNoChannelAndDeliverySaysWhatToDo() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try Self.writeKeyTable(world, notify: [])
            let validate = try await world.run(["validate"])
            #expect(validate.status == 1, "\(validate)")
            #expect(validate.stdout.contains("customer-api-keys.yml:"), "at the playbook's file: \(validate.stdout)")
            #expect(validate.stdout.contains("key-table playbook customer-api-keys has no channel for its customer notices"))
            #expect(validate.stdout.contains("define one of type outbox in rotor.yml"))
            let json = try await world.run(["validate", "--json"])
            #expect(json.stdout.contains("has no channel for its customer notices"), "\(json.stdout)")

            // Run anyway: the notice is given up (and tick says so), with a hint that fits a customer notice.
            #expect(try await world.run(["init"]).status == 0)
            _ = try await Self.createAndRotate(world)
            let tick = try await world.run(["tick"])
            #expect(tick.status == 1, "\(tick)")
            let rotated = try #require(try await Self.notices(world).first { $0.kind == "key_rotated" })
            #expect(rotated.status == .failed)
            let error = rotated.lastError ?? ""
            #expect(error.contains("customer key notices go to the key-table playbook's notify: channels"), "\(error)")
            #expect(!error.contains("remove it from the playbook's notify:"), "\(error)")
        }
    }

    @Test(arguments: Backend.allCases)
    func statusSummarisesTheCustomerKeysInTextAndJSON(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try Self.writeConfig(world, "channels:\n  customers: { type: outbox }\n")
            try Self.writeKeyTable(world, notify: [])
            #expect(try await world.run(["init"]).status == 0)
            var ids: [String] = []
            for name in ["old", "ageing", "fresh"] {
                let create = try await world.run(["keys", "create", "--org", "acme", "--name", name, "--json"])
                ids.append(try JSONDecoder().decode(Created.self, from: Data(create.stdout.utf8)).id)
            }
            // One key past max_age (90 days), one inside the 7-day warning window, one rotated (its old key in grace).
            let now = Date()
            let backdated = [(ids[0], 100.0), (ids[1], 85.0)]
            try await world.withStore { tx, _ in
                for (id, days) in backdated {
                    var key = try #require(try tx.apiKey(id: id))
                    key.createdAt = now.addingTimeInterval(-days * 86_400)
                    try tx.updateAPIKey(key)
                }
            }
            #expect(try await world.run(["keys", "rotate", ids[2], "--grace", "72h"]).status == 0)

            let text = try await world.run(["status", "customer-api-keys"])
            #expect(text.status == 0, "\(text)")
            #expect(text.stdout.contains("customer-api-keys: overdue (customer key table)"), "\(text.stdout)")
            #expect(text.stdout.contains("keys      3 active, 1 in grace, 1 due for rotation, 1 overdue"), "\(text.stdout)")
            #expect(text.stdout.contains("oldest    \(ids[0]) is 100 days old (max_age 90 days)"), "\(text.stdout)")
            #expect(!text.stdout.contains("not_imported") && !text.stdout.contains("rotor import"), "\(text.stdout)")

            let json = try await world.run(["status", "customer-api-keys", "--json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any], "\(json)")
            #expect(object["state"] as? String == "overdue")
            let keys = try #require(object["keys"] as? [String: Any], "\(json.stdout)")
            #expect(keys["active"] as? Int == 3)
            #expect(keys["in_grace"] as? Int == 1)
            #expect(keys["due"] as? Int == 1)
            #expect(keys["overdue"] as? Int == 1)
            #expect(keys["oldest_key_id"] as? String == ids[0])
            #expect(keys["oldest_age_days"] as? Double == 100)
            #expect(keys["max_age_days"] as? Double == 90)

            // The listing of every secret shows it the same way; a fresh table is `ok`.
            let all = try await world.run(["status"])
            #expect(all.stdout.contains("customer-api-keys: overdue (customer key table)"), "\(all.stdout)")
        }
    }

    @Test func anEmptyKeyTableIsOkAndSaysSo() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            try Self.writeConfig(world, "channels:\n  customers: { type: outbox }\n")
            try Self.writeKeyTable(world, notify: [])
            #expect(try await world.run(["init"]).status == 0)
            let text = try await world.run(["status", "customer-api-keys"])
            #expect(text.stdout.contains("customer-api-keys: ok (customer key table)"), "\(text.stdout)")
            #expect(text.stdout.contains("keys      0 active, 0 in grace, 0 due for rotation, 0 overdue"), "\(text.stdout)")
            #expect(text.stdout.contains("oldest    no active key (max_age 90 days)"), "\(text.stdout)")
        }
    }
}
