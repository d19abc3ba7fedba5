import Foundation
import RotorApp
import RotorCore
import RotorCrypto
import RotorTestSupport
import Testing

/// Issue 12, revoking with a person: at the end of a manual source's grace Rotor asks the owner to revoke the old key
/// (or confirm the vendor's expiry) and does not call the rotation complete until its `revoke_check` proves the old
/// key dead at the (sandbox) vendor, or, without a check, until a person confirms. SQLite and PostgreSQL.
@Suite("Manual source: revoking with a person", .serialized)
struct ManualRevokeTests {
    static let start = Date(timeIntervalSince1970: 1_767_574_800)

    static func playbook(_ world: PersonWorld, revokeCheck: Bool) throws -> Playbook {
        let balance = "\(world.stripeURL)/stripe/v1/balance"
        return try world.shared.playbook("""
            secret: stripe-key
            owner: payments
            grace: 1h
            source:
              provider: manual
              instructions: Roll the key in the Stripe Dashboard and paste it.
              expect: "^rk_test_[A-Za-z0-9]{24,}$"
              test: { provider: http, url: "\(balance)", headers: { Authorization: "Bearer {{value}}" }, expect_status: 200 }
              revoke_instructions: Expire the old key in the Stripe Dashboard.
              deadline: 2d
            \(revokeCheck ? "  revoke_check: { provider: http, url: \"\(balance)\", headers: { Authorization: \"Bearer {{value}}\" }, expect_status: 401 }" : "")
            targets: [ { provider: file, path: \(world.shared.dir)/app.env, key: STRIPE_KEY } ]
            notify: [ ops ]
            """)
    }

    /// The key the account has, imported as current; a rotation asked for and supplied with a key rolled so that the
    /// old one expires at `oldExpiresAt` (sandbox time): the rotation is in grace (1h).
    static func rotateToGrace(_ world: PersonWorld, _ playbook: Playbook, oldExpiresAt: Date) async throws -> (old: String, new: String) {
        let old = try await world.roll(#"{"expires_in_seconds":0}"#)
        _ = try await world.app.secrets.importCurrent(playbook, value: SecretValue(old), handle: nil, actor: "t", replace: false)
        let asked = try await world.app.runner().rotate(playbook, .init(trigger: .manual, actor: "alice"))
        #expect(asked.rotation.state == .awaitingValue)
        let new = try await world.roll(#"{"expires_at":\#(Int(oldExpiresAt.timeIntervalSince1970))}"#)
        let supplied = try await world.app.supplies().supply(playbook, value: SecretValue(new), actor: "alice")
        #expect(supplied.rotation.state == .grace)
        return (old, new)
    }

    static func failedChecks(_ world: PersonWorld) async throws -> Int {
        try await world.audit().filter { $0.action == "step.revoke" && $0.outcome == "failed" }.count
    }

    @Test(arguments: StoreBackend.allCases)
    func theRevokeCheckKeepsTheRotationOutOfCompletedUntilTheOldKeyIsDead(_ backend: StoreBackend) async throws {
        try await PersonWorld.with(backend, start: Self.start) { world in
            let playbook = try Self.playbook(world, revokeCheck: true)
            let (old, new) = try await Self.rotateToGrace(world, playbook, oldExpiresAt: Self.start.addingTimeInterval(3 * 3_600))
            var said: [String] = []

            // Grace ends while the old key still works at Stripe: the owner is asked, the rotation stays in revoking.
            world.clock.set(Self.start.addingTimeInterval(3_600 + 60))
            said += try await world.tick(playbook).map(\.message)
            let rotation = try #require(try await world.rotations("stripe-key").first)
            #expect(rotation.state == .revoking, "\(rotation)")
            #expect(rotation.leaseOwner == nil, "nobody holds a rotation that waits on a person")
            let request = try #require(try await world.notifications("stripe-key").first { $0.kind == "revoke-request" })
            #expect(request.channel == "ops" && !request.urgent)
            #expect(request.body.contains("Expire the old key in the Stripe Dashboard"), "\(request.body)")
            #expect(request.body.contains("rotor resolve stripe-key --revoked-manually"), "\(request.body)")
            #expect(request.body.contains("HTTP 200"), "it says why: the old key still works")
            #expect(try await Self.failedChecks(world) == 1)
            let secretStatus = try await world.app.secrets.status(playbooks: [playbook], invalid: [:], only: "stripe-key")
            #expect(secretStatus.first?.stuckSince == nil)

            // Checked again at most every few minutes, not on every pass.
            world.clock.advance(by: 120)
            said += try await world.tick(playbook).map(\.message)
            #expect(try await Self.failedChecks(world) == 1)
            world.clock.advance(by: 240)
            said += try await world.tick(playbook).map(\.message)
            #expect(try await Self.failedChecks(world) == 2)
            #expect(try await world.rotations("stripe-key").first?.state == .revoking)

            // A person's word is not enough while the old key still works: the check decides.
            let early = try await world.app.resolver().resolve(playbook, .revokedManually(reason: "expired it"), actor: "bob")
            #expect(early.state == "revoking" && early.error?.contains("still works") == true, "\(early)")
            said.append("\(early)")
            #expect(try await world.audit().contains { $0.action == "revoke.confirmed" && $0.actor == "bob" })

            // The old key's expiry passes at Stripe: the next check completes the rotation.
            world.clock.set(Self.start.addingTimeInterval(3 * 3_600 + 60))
            said += try await world.tick(playbook).map(\.message)
            let done = try #require(try await world.rotations("stripe-key").first)
            #expect(done.state == .completed, "\(done)")
            let proof = try #require(try await world.audit().last { $0.action == "step.revoke" && $0.outcome == "succeeded" })
            #expect(proof.actor == "revoke_check" && proof.detail?.contains("HTTP 401") == true, "\(proof)")
            let versions = try await world.app.store.transaction { try $0.versions(secretName: "stripe-key") }
            #expect(versions.first { $0.id == done.oldVersionID }?.label == .revoked)
            #expect(try await world.notifications("stripe-key").allSatisfy { !$0.urgent }, "no on-call alarm before the deadline")

            let everything = try await world.everything(playbook, extra: said)
            for value in [old, new] {
                #expect(!everything.contains(value), "a key leaked into a message, audit row, journal or status")
            }
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func withoutARevokeCheckAPersonsConfirmationCompletesTheRotation(_ backend: StoreBackend) async throws {
        try await PersonWorld.with(backend, start: Self.start) { world in
            let playbook = try Self.playbook(world, revokeCheck: false)
            let (old, new) = try await Self.rotateToGrace(world, playbook, oldExpiresAt: Self.start.addingTimeInterval(7_200))
            world.clock.set(Self.start.addingTimeInterval(3_600 + 60))
            var said = try await world.tick(playbook).map(\.message)
            #expect(try await world.rotations("stripe-key").first?.state == .revoking)
            let request = try #require(try await world.notifications("stripe-key").first { $0.kind == "revoke-request" })
            #expect(request.body.contains("Then confirm: rotor resolve stripe-key --revoked-manually"), "\(request.body)")

            // Nothing to check: passes leave it waiting for the person, and do not retry in vain.
            for minutes in [10.0, 60, 600] {
                world.clock.set(Self.start.addingTimeInterval(3_600 + minutes * 60))
                said += try await world.tick(playbook).map(\.message)
            }
            #expect(try await world.rotations("stripe-key").first?.state == .revoking)
            #expect(try await Self.failedChecks(world) == 1)

            let confirmed = try await world.app.resolver().resolve(playbook, .revokedManually(reason: "expired in the Stripe Dashboard"),
                                                                  actor: "carol")
            #expect(confirmed.state == "completed" && confirmed.error == nil, "\(confirmed)")
            said.append("\(confirmed)")
            let row = try #require(try await world.audit().last { $0.action == "step.revoke" })
            #expect(row.actor == "carol" && row.outcome == "revoked-manually" && row.reason == "expired in the Stripe Dashboard")
            let everything = try await world.everything(playbook, extra: said)
            for value in [old, new] { #expect(!everything.contains(value)) }
        }
    }
}
