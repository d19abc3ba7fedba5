import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import RotorCore
import Testing

/// Issue 10: a skip by link or by text reply, made right after a rotation (before any pass saw the new cycle and
/// before its warning), holds through later scheduler passes instead of being reset to the schedule's date.
@Suite("Skips hold", .serialized)
struct SkipHoldsTests {
    let day = ServerWorld.day

    /// A rotation finished a moment ago; returns the new cycle's start and a scheduler over the world's store.
    func rotated(_ world: ServerWorld) async throws -> (cycleStart: Date, scheduler: Scheduler) {
        let runner = RotationRunner(store: world.store, sealer: world.sealer, factory: world.providers, clock: world.clock,
                                    logger: Logger(label: "skip-holds"))
        world.clock.advance(by: day)
        let outcome = try await runner.rotate(world.playbook, .init(trigger: .manual, actor: "t", grace: .seconds(0)))
        #expect(outcome.rotation.state == .grace, "\(outcome.rotation)")
        let playbook = world.playbook
        let current = try await world.store.transaction { try $0.version(secretName: playbook.secret, label: .current) }
        let scheduler = Scheduler(runner: runner, store: world.store, clock: world.clock, playbooks: [world.playbook],
                                  replyTokens: world.replyTokens, keys: nil, configuration: .init(),
                                  logger: Logger(label: "skip-holds"))
        world.clock.advance(by: 3_600)
        return (try #require(current?.activatedAt), scheduler)
    }

    func expectHeld(_ world: ServerWorld, _ scheduler: Scheduler, at date: Date, from start: Date) async throws {
        for days in [0.5, 20, 31, 45, 59] {
            world.clock.set(start.addingTimeInterval(days * day))
            let items = await scheduler.tick()
            #expect(!items.contains { $0.action == "rotated" || $0.action == "error" }, "\(items)")
            #expect(try await world.secretRecord.nextRotationAt == date, "\(days) days on")
        }
    }

    @Test func aLinkSkipRightAfterARotationHoldsAcrossPasses() async throws {
        let world = try await ServerWorld.make()
        let (cycleStart, scheduler) = try await rotated(world)
        let token = try await world.issue(action: "skip")
        try await world.test { client in
            let response = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(response.status == .ok)
            try await expectHeld(world, scheduler, at: cycleStart.addingTimeInterval(60 * day), from: cycleStart)
        }
    }

    @Test func aTextReplySkipRightAfterARotationHoldsAcrossPasses() async throws {
        let world = try await ServerWorld.make()
        let (cycleStart, scheduler) = try await rotated(world)
        _ = try await world.issue(action: "skip", code: "SKIPAAA2")
        try await world.test { client in
            let body = #"{"code":"SKIPAAA2","from":"U024BE7LH (Slack)","text":"SKIP 14d"}"#
            let response = try await client.execute(uri: "/v1/replies", method: .post, headers: world.signedHeaders(body),
                                                    body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            try await expectHeld(world, scheduler, at: cycleStart.addingTimeInterval(44 * day), from: cycleStart)
        }
    }
}
