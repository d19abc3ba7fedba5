import Foundation
import Logging
import RotorApp
import RotorCore
import RotorHTTP
import RotorKeyTable

/// How long a key created or revoked by this process takes to be answered accordingly by a `rotor serve`
/// running elsewhere on the same store: from the moment the write returned here to the first such answer,
/// polling the server as fast as it answers.
enum VisibilityBench {
    static func run(url: String, rounds: Int) async throws {
        var logger = Logger(label: "rotor.bench")
        logger.logLevel = .error
        let app = try await RotorApp.open(RotorApp.Options(logger: logger))
        let table = app.keyTable(policy: KeyTablePolicy())
        var created: [Double] = []
        var revoked: [Double] = []
        for _ in 0..<rounds {
            let (record, key) = try await table.create(org: "bench", name: "visibility", scopes: [], rateLimit: nil, actor: "bench")
            created.append(try await waitUntil(url: url, key: key.revealed) { $0 == "valid" })
            _ = try await table.revoke(id: record.id, reason: "bench", actor: "bench")
            revoked.append(try await waitUntil(url: url, key: key.revealed) { $0 == "revoked" })
        }
        await app.close()
        print("  created key answered valid   p50 \(ms(percentile(created, 0.5)))  max \(ms(created.max() ?? 0))  (\(rounds) rounds; goal ≤ 1000 ms)")
        print("  revoked key answered revoked p50 \(ms(percentile(revoked, 0.5)))  max \(ms(revoked.max() ?? 0))")
    }

    /// Seconds until the server's answer for `key` satisfies `done` ("valid", or the refusal reason).
    static func waitUntil(url: String, key: String, _ done: (String) -> Bool) async throws -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        while true {
            var request = HTTPRequest(method: .POST, url: url, headers: ["Content-Type": "application/json"],
                                      body: Array(#"{"key":"\#(key)"}"#.utf8))
            request.secrets = [key]
            let answer = try JSONSerialization.jsonObject(with: Data(try await HTTPClient.shared.execute(request).body)) as? [String: Any]
            let state = answer?["valid"] as? Bool == true ? "valid" : (answer?["reason"] as? String ?? "?")
            if done(state) { return Stopwatch.seconds(clock.now - start) }
            if clock.now - start > .seconds(30) { throw BenchError("the server at \(url) never answered \(key.prefix(12))… as expected") }
        }
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
    }

    static func ms(_ seconds: Double) -> String { String(format: "%6.1f ms", seconds * 1000) }
}
