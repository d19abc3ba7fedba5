import Foundation
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// The own key table through `rotor keys`, on SQLite and PostgreSQL.
@Suite("Key table end to end", .serialized)
struct KeyTableEndToEndTests {
    struct Created: Decodable { var id: String; var key: String }
    struct Verified: Decodable { var valid: Bool; var reason: String?; var status: String?; var key_id: String?; var org: String? }

    func verify(_ world: World, _ key: String) async throws -> Verified {
        let result = try await world.run(["keys", "verify", "--stdin", "--json"], stdin: key)
        return try JSONDecoder().decode(Verified.self, from: Data(result.stdout.utf8))
    }

    @Test(arguments: Backend.allCases)
    func createVerifyRotateGraceAndRevokeAfterGrace(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            // The customers' in-app inbox is the `outbox` channel; without it their notices are given up (and tick exits 1).
            try "channels:\n  outbox: { type: outbox }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            #expect(try await world.run(["init"]).status == 0)

            let create = try await world.run(["keys", "create", "--org", "acme", "--name", "mobile", "--scopes", "read,write", "--json"])
            #expect(create.status == 0, "\(create)")
            let created = try JSONDecoder().decode(Created.self, from: Data(create.stdout.utf8))
            #expect(created.key.hasPrefix("rk_live_") && created.key.count == 46)
            let first = try await verify(world, created.key)
            #expect(first.valid && first.status == "active" && first.org == "acme" && first.key_id == created.id)

            let rotate = try await world.run(["keys", "rotate", created.id, "--grace", "72h", "--json"])
            #expect(rotate.status == 0, "\(rotate)")
            let rotated = try #require(try JSONSerialization.jsonObject(with: Data(rotate.stdout.utf8)) as? [String: Any])
            let newKey = try #require((rotated["new"] as? [String: Any])?["key"] as? String)
            #expect(try await verify(world, created.key).status == "grace")
            #expect(try await verify(world, newKey).status == "active")
            // The org was told, in its in-app outbox, without the key.
            let notices = try await world.withStore { tx, _ in try tx.notifications(org: "acme", secretName: nil, limit: 10) }
            #expect(notices.contains { $0.kind == "key_rotated" && $0.body.contains(String(newKey.prefix(12))) })
            #expect(!notices.contains { $0.body.contains(newKey) || $0.subject.contains(newKey) })

            let tick = try await world.run(["tick", "--now", ISO8601.string(Date().addingTimeInterval(73 * 3600))])
            #expect(tick.status == 0, "\(tick)")
            let afterGrace = try await verify(world, created.key)
            #expect(!afterGrace.valid && afterGrace.reason == "revoked")
            #expect(try await verify(world, newKey).valid)
            let exit = try await world.run(["keys", "verify", "--stdin"], stdin: created.key)
            #expect(exit.status == 1)
        }
    }

    @Test func aKeyWithOneChangedCharacterFailsTheChecksumBeforeAnyLookup() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let create = try await world.run(["keys", "create", "--org", "acme", "--json"])
            let key = try JSONDecoder().decode(Created.self, from: Data(create.stdout.utf8)).key
            var chars = Array(key)
            let index = 10
            chars[index] = chars[index] == "a" ? "b" : "a"
            let typo = String(chars)
            #expect(try await verify(world, typo).reason == "bad_checksum")
            #expect(try await verify(world, "rk_live_short").reason == "bad_format")
            #expect(try await verify(world, String(repeating: "x", count: 46)).reason == "bad_format")
            // A well-formed key nobody issued.
            #expect(try await verify(world, KeyTableKeys.wellFormedUnknown()).reason == "unknown")
            // bad_checksum needs no store at all: it is decided before the lookup.
            let noStore = try await world.run(["keys", "verify", "--stdin", "--json"], stdin: typo,
                                               env: ["ROTOR_STORE": "postgres://nobody@127.0.0.1:1/none"])
            #expect(noStore.status == 1, "\(noStore)")
            #expect(noStore.stdout.contains("\"bad_checksum\""), "\(noStore)")
        }
    }

    @Test(arguments: Backend.allCases)
    func aRotorStartedRotationLeavesTheNewKeyInAPickupSlotThatWorksOnce(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            #expect(try await world.run(["init"]).status == 0)
            let created = try JSONDecoder().decode(Created.self, from: Data(try await world.run(["keys", "create", "--org", "acme", "--json"]).stdout.utf8))
            // Rotor itself rotates it (as the scheduler will): the new key goes to a pickup slot, not to the operator.
            let rotation = try await KeyTableKeys.rotateByRotor(world, id: created.id)
            #expect(rotation.status == 0, "\(rotation)")
            let claim = try await world.run(["keys", "claim", "--old-key-stdin", "--json"], stdin: created.key)
            #expect(claim.status == 0, "\(claim)")
            let claimed = try JSONDecoder().decode(Created.self, from: Data(claim.stdout.utf8))
            #expect(try await verify(world, claimed.key).status == "active")
            let again = try await world.run(["keys", "claim", "--old-key-stdin"], stdin: created.key)
            #expect(again.status != 0)
            #expect(again.stderr.contains("claim refused"))
            let sealedLeft = try await world.withStore { tx, _ in try tx.pickup(oldKeyID: created.id) }
            #expect(sealedLeft == nil, "the slot is wiped once claimed")
        }
    }
}

enum KeyTableKeys {
    /// A key with a valid checksum that was never issued.
    static func wellFormedUnknown() -> String {
        // rk_live_ + 32 base62 + CRC32 in 6 base62 chars, as the key table makes them.
        let body = "rk_live_" + String(repeating: "A", count: 32)
        return body + Base62.encode(CRC32.checksum(Array(body.utf8)), width: 6)
    }

    /// A rotation whose new key goes to the customer's pickup slot (as Rotor's own rotations do).
    static func rotateByRotor(_ world: World, id: String) async throws -> RotorTestSupportResult {
        let result = try await world.run(["keys", "rotate", id, "--deliver", "pickup"])
        return RotorTestSupportResult(status: result.status, text: "\(result)")
    }

    struct RotorTestSupportResult: CustomStringConvertible {
        var status: Int32
        var text: String
        var description: String { text }
    }
}
