import Foundation
import Hummingbird
import HummingbirdTesting
import RotorCore
import Testing

/// `GET /r/{token}` shows, `POST /r/{token}` acts once: through the real router and a real SQLite store.
@Suite("Reply links")
struct ReplyLinkTests {
    let day = ServerWorld.day
    let start = ServerWorld.start

    @Test func confirmationPageChangesNothingInTheStore() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "skip")
        let before = try await world.secretRecord
        let tokenBefore = try await world.tokenRecord(token)
        let auditBefore = try await world.auditCount
        try await world.test { client in
            for _ in 0..<3 { // a chat app may preview a link several times
                let response = try await client.execute(uri: "/r/\(token)", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(response.headers[.cacheControl] == "no-store")
                #expect(response.text.contains("Postpone openai-api-key&#39;s rotation by 30d"))
                #expect(response.text.contains("<form method=\"post\">"))
                #expect(!response.text.contains(token))
            }
            let rotate = try await world.issue(action: "rotate-now")
            let page = try await client.execute(uri: "/r/\(rotate)", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("Rotate now"))
            #expect(try await world.tokenRecord(rotate).usedAt == nil)
            #expect(try await world.secretRecord == before)
            #expect(try await world.tokenRecord(token) == tokenBefore)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            #expect(try await world.auditCount == auditBefore)
        }
    }

    @Test func postSkipsOnceAndAReplayIsGoneAndAudited() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "skip")
        let due = start.addingTimeInterval(30 * day)
        #expect(try await world.secretRecord.nextRotationAt == due)
        try await world.test { client in
            let first = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(first.status == .ok)
            let postponed = due.addingTimeInterval(30 * day)
            #expect(first.text.contains(postponed.iso))
            #expect(first.text.contains("1 of 2"))
            #expect(!first.text.contains("compliance limit"))
            let secret = try await world.secretRecord
            #expect(secret.nextRotationAt == postponed)
            #expect(secret.skipsThisCycle == 1)
            #expect(try await world.tokenRecord(token).usedAt == world.clock.now)
            let skipped = try await world.audit("secret.skipped")
            #expect(skipped.count == 1)
            #expect(skipped.first?.actor == "link:platform-team")

            let replay = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(replay.status == .gone)
            #expect(replay.text.contains("already used"))
            #expect(!replay.text.contains(token))
            #expect(try await world.secretRecord.nextRotationAt == postponed)
            let refused = try await world.audit("reply.refused")
            #expect(refused.count == 1)
            #expect(refused.first?.reason?.hasPrefix("already used") == true)
            #expect(refused.first?.subject == "openai-api-key")
            #expect(refused.first?.detail?.contains(token) == false)
        }
    }

    @Test func expiredLinkIsGoneAndAudited() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "skip", expiresIn: 3600)
        world.clock.advance(by: 3601)
        let before = try await world.secretRecord
        try await world.test { client in
            #expect(try await client.execute(uri: "/r/\(token)", method: .get).status == .gone)
            let response = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(response.status == .gone)
            #expect(response.text.contains("expired"))
            #expect(try await world.secretRecord == before)
            #expect(try await world.tokenRecord(token).usedAt == nil)
            let refused = try await world.audit("reply.refused")
            #expect(refused.map(\.reason) == ["expired at \(start.addingTimeInterval(3600).iso)"])
        }
    }

    @Test func forgedLinkIsNotFoundAndAudited() async throws {
        let world = try await ServerWorld.make()
        _ = try await world.issue(action: "skip")
        let before = try await world.secretRecord
        let forged = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        try await world.test { client in
            let page = try await client.execute(uri: "/r/\(forged)", method: .get)
            #expect(page.status == .notFound)
            #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
            let response = try await client.execute(uri: "/r/\(forged)", method: .post)
            #expect(response.status == .notFound)
            #expect(!response.text.contains(forged))
            let long = String(repeating: "x", count: 5000)
            #expect(try await client.execute(uri: "/r/\(long)", method: .post).status == .notFound)
            #expect(try await world.secretRecord == before)
            // Anonymous refusals are audited in aggregate: the first at once, the rest counted (RefusalAuditTests).
            try await world.flushRefusals()
            let refused = try await world.audit("reply.refused")
            #expect(refused.count == 2)
            #expect(refused.map(\.reason) == ["unknown token (forged or mistyped)", "1 more refused reply link request"])
            #expect(refused.allSatisfy { $0.subjectKind == "system" })
            #expect(refused.last?.detail?.hasSuffix("unknown token (forged or mistyped) ×1") == true)
        }
    }

    @Test func maxSkipsCapRefusesTheNextSkip() async throws {
        let world = try await ServerWorld.make(playbook: ServerWorld.playbook(maxSkips: 1))
        let first = try await world.issue(action: "skip")
        let second = try await world.issue(action: "skip")
        try await world.test { client in
            #expect(try await client.execute(uri: "/r/\(first)", method: .post).status == .ok)
            let postponed = try await world.secretRecord.nextRotationAt
            let refused = try await client.execute(uri: "/r/\(second)", method: .post)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("already postponed 1 time this cycle"))
            #expect(try await world.secretRecord.nextRotationAt == postponed)
            #expect(try await world.secretRecord.skipsThisCycle == 1)
            let events = try await world.audit("reply.refused")
            #expect(events.count == 1)
            #expect(events.first?.reason?.contains("max_skips") == true)
        }
    }

    @Test func maxAgeCapCutsTheSkipAndThePageSaysSo() async throws {
        // Imported at start, due at +30d; a 30d skip would reach +60d, past max_age 40d.
        let world = try await ServerWorld.make(playbook: ServerWorld.playbook(maxAge: 40 * day))
        let token = try await world.issue(action: "skip")
        try await world.test { client in
            let response = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(response.status == .ok)
            let limit = start.addingTimeInterval(40 * day)
            #expect(response.text.contains(limit.iso))
            #expect(response.text.contains("cut to the compliance limit"))
            #expect(try await world.secretRecord.nextRotationAt == limit)
            #expect(try await world.audit("secret.skipped").first?.outcome == "capped")
        }
    }

    @Test func rotateNowLinkMakesTheRotationDueNow() async throws {
        let world = try await ServerWorld.make()
        let token = try await world.issue(action: "rotate-now")
        try await world.test { client in
            let response = try await client.execute(uri: "/r/\(token)", method: .post)
            #expect(response.status == .ok)
            #expect(response.text.contains("is due now"))
            #expect(try await world.secretRecord.nextRotationAt == world.clock.now)
            #expect(try await world.audit("secret.rotate-now").first?.actor == "link:platform-team")
            #expect(try await client.execute(uri: "/r/\(token)", method: .post).status == .gone)
        }
    }
}
