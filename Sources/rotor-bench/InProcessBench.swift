import Foundation
import Logging
import RotorApp
import RotorCore
import RotorCrypto
import RotorKeyTable
import RotorStore

/// Verification from the in-memory index on one core, against HMAC-SHA256 of the same keys: with the same
/// pre-keyed context (the floor of any verification) and one-shot (`EVP_Q_mac`, what a lookup cost before).
enum InProcessBench {
    static func run(keys tableSize: Int) async throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("rotor-bench-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        var logger = Logger(label: "rotor.bench")
        logger.logLevel = .error
        let app = try await RotorApp.open(RotorApp.Options(home: home, storeURL: "sqlite:\(home)/bench.db", environment: [:],
                                                           logger: logger, keyring: MasterKeyring(current: MasterKey.random())))
        let table = app.keyTable(policy: KeyTablePolicy())
        // 1 000 real keys to present, among `tableSize` rows (the others with random hashes), so the index has a realistic size.
        var presented: [[UInt8]] = []
        for index in 0..<1000 {
            presented.append(Array(try await table.create(org: "org\(index % 50)", name: "k", scopes: ["read"], rateLimit: nil,
                                                          actor: "bench").key.revealed.utf8))
        }
        let now = Date()
        try await app.store.transaction { tx in
            for index in 0..<max(0, tableSize - 1000) {
                try tx.insertAPIKey(APIKeyRecord(id: "key_filler\(index)", keyHash: SecureRandom.bytes(32), prefix: "rk_live_fill",
                                                 last4: "fill", org: "filler", name: "k", createdAt: now))
            }
        }
        let feed = try await openAPIKeyChangeFeed(url: try StoreURL(parsing: "sqlite:\(home)/bench.db"))
        let indexed = try await table.indexed(feed: feed)
        let index = indexed.index!
        let hmacKey = HMACSHA256Key(SecureRandom.bytes(32))
        let oneShotKey = SecureRandom.bytes(32)
        let count = presented.count

        print("in-process verification, one core, \(Stopwatch.grouped(Double(index.count))) keys in the index, 46-byte keys")
        // Warm up: every key once through every path.
        var sink = 0
        for key in presented {
            sink &+= key.withUnsafeBytes { index.check(utf8: $0) }.valid ? 1 : 0
            sink &+= Int(hmacKey.authenticate(key)[0])
        }
        let iterations = 2_000_000
        var output = [UInt8](repeating: 0, count: 32)
        let hmacRate = Stopwatch.rate(iterations) { step in
            presented[step % count].withUnsafeBytes { message in
                output.withUnsafeMutableBytes { hmacKey.authenticate(message, into: $0) }
            }
        }
        let oneShotRate = Stopwatch.rate(iterations / 10) { step in
            sink &+= Int(HMACSHA256.authenticate(key: oneShotKey, message: presented[step % count])[0])
        }
        var valid = 0
        let verifyRate = Stopwatch.rate(iterations) { step in
            if presented[step % count].withUnsafeBytes({ index.check(utf8: $0) }).valid { valid += 1 }
        }
        precondition(valid == iterations, "every presented key must verify")
        var wellFormed = 0
        let formatRate = Stopwatch.rate(iterations) { step in
            if presented[step % count].withUnsafeBytes({ APIKeyFormat.check(utf8: $0) }) == nil { wellFormed += 1 }
        }
        var later = 0
        let clockRate = Stopwatch.rate(iterations) { _ in if SystemClock().now.timeIntervalSince1970 > 0 { later += 1 } }
        print("  HMAC-SHA256, pre-keyed context duplicated per call  \(Stopwatch.grouped(hmacRate).leftPadded(12)) /s")
        print("  HMAC-SHA256, one-shot EVP_Q_mac (before)            \(Stopwatch.grouped(oneShotRate).leftPadded(12)) /s")
        print("  verify (format, HMAC, index lookup, use recorded)   \(Stopwatch.grouped(verifyRate).leftPadded(12)) /s")
        print("    of which: format and checksum alone                \(Stopwatch.grouped(formatRate).leftPadded(12)) /s")
        print("    of which: reading the clock alone                  \(Stopwatch.grouped(clockRate).leftPadded(12)) /s")
        print(String(format: "  ratio verify / pre-keyed HMAC                        %11.2f   (goal ≥ 0.50; ≥ 1,000,000 /s)", verifyRate / hmacRate))
        if sink == 42 { print("") }
        await feed.close()
        await app.close()
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
