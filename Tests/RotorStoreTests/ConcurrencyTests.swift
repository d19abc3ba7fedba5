import Foundation
import RotorCore
@testable import RotorStore
import Testing

/// Two daemons on one database: each test opens a second store on the same SQLite file or PostgreSQL database,
/// so the contention is between real, separate connections.
@Suite("Concurrent writers and claimers")
struct ConcurrencyTests {
    @Test(arguments: TestBackend.all)
    func twoWritersAppendingConcurrentlyLoseNothing(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            try await store.transaction { tx in
                try tx.upsertSecret(Fixtures.secret())
                try tx.insertRotation(Fixtures.rotation("r1", state: .propagating))
            }
            let other = try await database.open()
            let perWriter = 200
            let written = try await withThrowingTaskGroup(of: [(Int64, Int)].self) { group in
                for (writer, daemon) in [store, other].enumerated() {
                    group.addTask {
                        var results: [(Int64, Int)] = []
                        for index in 0..<perWriter {
                            let pair = try await daemon.transaction { tx in
                                let event = try tx.appendAudit(Fixtures.audit("write.\(writer).\(index)", at: t(Double(index))))
                                let entry = try tx.appendJournal(
                                    rotationID: "r1", step: "w\(writer):\(index)", phase: .succeeded, detail: nil, at: t(Double(index)))
                                return (event.id ?? -1, entry.seq)
                            }
                            results.append(pair)
                        }
                        return results
                    }
                }
                return try await group.reduce(into: [(Int64, Int)]()) { $0 += $1 }
            }
            await other.close()

            let ids = written.map(\.0)
            let seqs = written.map(\.1)
            #expect(Set(ids).count == 2 * perWriter)
            #expect(!ids.contains(-1))
            #expect(Set(seqs) == Set(1...(2 * perWriter)))

            let audit = try await store.transaction { try $0.auditEvents(since: nil, until: nil, subject: nil, limit: nil) }
            #expect(audit.count == 2 * perWriter)
            #expect(Set(audit.map(\.action)) == Set((0..<2).flatMap { w in (0..<perWriter).map { "write.\(w).\($0)" } }))
            #expect(Set(audit.compactMap(\.id)) == Set(ids))
            let journal = try await store.transaction { try $0.journal(rotationID: "r1") }
            #expect(journal.map(\.seq) == Array(1...(2 * perWriter)))
            // Each writer's own entries appear in the order it wrote them.
            for writer in 0..<2 {
                let mine = journal.filter { $0.step.hasPrefix("w\(writer):") }.map(\.step)
                #expect(mine == (0..<perWriter).map { "w\(writer):\($0)" })
            }
        }
    }

    @Test(arguments: TestBackend.all)
    func concurrentClaimersNeverReceiveTheSameNotification(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let total = 120
            try await store.transaction { tx in
                for index in 0..<total {
                    try tx.enqueueNotification(Fixtures.notification(String(format: "n%03d", index), due: t(Double(index % 7))))
                }
            }
            let other = try await database.open()
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for (claimer, daemon) in [store, other, store, other].enumerated() {
                    group.addTask {
                        var mine: [String] = []
                        while true {
                            let batch = try await daemon.transaction {
                                try $0.claimNotifications(now: t(10), owner: "claimer-\(claimer)", leaseUntil: t(600), limit: 7)
                            }
                            if batch.isEmpty { break }
                            #expect(batch.allSatisfy { $0.leaseOwner == "claimer-\(claimer)" && $0.status == .sending })
                            mine += batch.map(\.id)
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            await other.close()
            let all = claims.flatMap { $0 }
            #expect(all.count == total, "claimed \(all.count) of \(total); per claimer \(claims.map(\.count))")
            #expect(Set(all).count == all.count)
            #expect(Set(all) == Set((0..<total).map { String(format: "n%03d", $0) }))
            let stored = try await store.transaction { try $0.notifications(org: nil, secretName: nil, limit: 1000) }
            #expect(stored.allSatisfy { $0.attempts == 1 && $0.status == .sending })
        }
    }

    @Test(arguments: TestBackend.all)
    func aReplyTokenIsUsedExactlyOnceUnderConcurrency(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let token = ReplyTokenRecord(
                id: "tok", tokenHash: Fixtures.keyHash(5), codeHash: Fixtures.keyHash(51), secretName: "openai-api-key", action: "skip",
                createdAt: t(0), expiresAt: t(day)
            )
            try await store.transaction { try $0.insertReplyToken(token) }
            let other = try await database.open()
            let successes = try await withThrowingTaskGroup(of: Bool.self) { group in
                for attempt in 0..<16 {
                    let daemon = attempt.isMultiple(of: 2) ? store : other
                    group.addTask {
                        try await daemon.transaction { try $0.markReplyTokenUsed(id: "tok", at: t(Double(attempt + 1))) }
                    }
                }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            await other.close()
            #expect(successes == 1)
            #expect(try await store.transaction { try $0.replyToken(hash: Fixtures.keyHash(5))?.usedAt } != nil)
        }
    }

    @Test(arguments: TestBackend.all)
    func aNamedLockHasOneHolderUnderConcurrency(_ backend: TestBackend) async throws {
        try await withStore(backend) { store, database in
            let other = try await database.open()
            let fences = try await withThrowingTaskGroup(of: Int64?.self) { group in
                for index in 0..<12 {
                    let daemon = index.isMultiple(of: 2) ? store : other
                    group.addTask {
                        try await daemon.transaction { try $0.acquireLock(name: "leader", owner: "daemon-\(index)", until: t(60), now: t(0)) }
                    }
                }
                return try await group.reduce(into: [Int64]()) { if let fence = $1 { $0.append(fence) } }
            }
            await other.close()
            #expect(fences == [1])
        }
    }
}
