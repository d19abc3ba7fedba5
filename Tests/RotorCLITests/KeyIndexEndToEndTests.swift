import Foundation
import RotorCore
import RotorHTTP
import RotorTestSupport
import Testing

/// `rotor serve` answers key verifications from memory and follows what other processes do to the keys: a key
/// created, rotated or revoked with the CLI is seen by the running server, on SQLite and PostgreSQL. Uses are
/// written in batches, and none is lost when the server stops cleanly; a revoked key presented again is counted
/// and alerts its org and the security channels once a day.
@Suite("Key index across processes", .serialized)
struct KeyIndexEndToEndTests {
    struct Created: Decodable { var id: String; var key: String }
    struct Listed: Decodable {
        var id: String
        var status: String
        var last_used_at: String?
        var old_key_uses: Int
        var old_key_used_at: String?
    }

    /// How long a change may take to reach the server before the test fails. The goal is 1 s (`make bench`
    /// measures it); this is a deadline for a loaded, shared machine, not a measurement.
    static let visibility = Duration.seconds(5)

    @Test(arguments: Backend.allCases)
    func changesByTheCLIReachARunningServerAndItsUsesSurviveAStop(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try """
                channels:
                  outbox: { type: outbox }
                  security-inbox: { type: outbox }
                alerts: { channels: [security-inbox] }

                """.write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            #expect(try await world.run(["init"]).status == 0)
            let first = try await create(world, name: "first")
            let second = try await create(world, name: "second")

            let port = try Self.freePort()
            // Polling with keys that do not verify (yet) counts as failures: the limit must not answer 429 first.
            let server = try DaemonTests.Background(world, ["serve", "--port", "\(port)"], env: ["ROTOR_HTTP_FAILURE_LIMIT": "100000"])
            // A failing expectation must not leave the server running.
            try await withCleanup({ if server.process.isRunning { server.process.terminate() } }) {
                let client = Verifier(url: "http://127.0.0.1:\(port)/v1/keys/verify")
                try await eventually("the server answers", timeout: .seconds(60), every: .milliseconds(100)) {
                    (try? await client.verify(first.key))?.valid == true
                }
                #expect(try await client.verify(second.key).valid)

                // Created by another process: valid at the server without a restart.
                let third = try await create(world, name: "third")
                try await eventually("the server knows the new key", timeout: Self.visibility) { try await client.verify(third.key).valid }

                // Revoked by another process: refused. Every refused attempt with it counts as a use of an old key.
                #expect(try await world.run(["keys", "revoke", first.id, "--reason", "leaked", "--yes"]).status == 0)
                var refused = 0
                try await eventually("the server refuses the revoked key", timeout: Self.visibility) {
                    let answer = try await client.verify(first.key)
                    if answer.reason == "revoked" { refused += 1 }
                    return answer.reason == "revoked"
                }
                // Rotated by another process: the old key in grace, the new one valid.
                let rotate = try await world.run(["keys", "rotate", second.id, "--grace", "1h", "--json"])
                #expect(rotate.status == 0, "\(rotate)")
                let rotated = try #require(try JSONSerialization.jsonObject(with: Data(rotate.stdout.utf8)) as? [String: Any])
                let newKey = try #require((rotated["new"] as? [String: Any])?["key"] as? String)
                try await eventually("the server knows the rotation", timeout: Self.visibility) {
                    let new = try await client.verify(newKey)
                    let old = try await client.verify(second.key)
                    return new.valid && old.status == "grace"
                }

                // The uses are written within the flush interval: wait for the first batch, then use the old key again.
                try await eventually("the first use of the old key is written", timeout: Self.visibility) {
                    try await listed(world, first.id).old_key_uses >= refused
                }
                for _ in 0..<3 {
                    if try await client.verify(first.key).reason == "revoked" { refused += 1 }
                }
                #expect(refused >= 4)

                // A clean stop writes the uses still held: the last use of the new key and the last refused attempts.
                #expect(try await client.verify(newKey).valid)
                server.process.terminate()
                #expect(await server.exit(within: 60) == 0)
                let rotatedTo = try #require((rotated["new"] as? [String: Any])?["id"] as? String)
                #expect(try await listed(world, rotatedTo).last_used_at != nil)
                let old = try await listed(world, first.id)
                #expect(old.old_key_uses == refused)
                #expect(old.old_key_used_at != nil)
                let list = try await world.run(["keys", "list"])
                #expect(list.stdout.contains("used \(refused)× after it stopped working"), "\(list)")
                let status = try await world.run(["status"])
                #expect(status.stdout.contains(first.id) && status.stdout.contains("used \(refused)×"), "\(status)")

            }
            // Alerted once (two batches, one day): the org's inbox and the security channel, without the key.
            let notices = try await world.withStore { tx, _ in try tx.notifications(org: nil, secretName: nil, limit: 100) }
                .filter { $0.kind == "old_key_used" }
            // The org's notices go to the customer channels (rotor.yml's `outbox` channels), the alert to `alerts:`.
            #expect(notices.filter { $0.org == "acme" }.map(\.channel).sorted() == ["outbox", "security-inbox"])
            #expect(notices.filter { $0.org == nil }.map(\.channel) == ["security-inbox"])
            #expect(notices.allSatisfy { $0.urgent && $0.body.contains(first.id) && !$0.body.contains(first.key) })
        }
    }

    // MARK: Helpers

    func create(_ world: World, name: String) async throws -> Created {
        let result = try await world.run(["keys", "create", "--org", "acme", "--name", name, "--json"])
        #expect(result.status == 0, "\(result)")
        return try JSONDecoder().decode(Created.self, from: Data(result.stdout.utf8))
    }

    func listed(_ world: World, _ id: String) async throws -> Listed {
        let result = try await world.run(["keys", "list", "--json"])
        struct Document: Decodable { var keys: [Listed] }
        return try #require(try JSONDecoder().decode(Document.self, from: Data(result.stdout.utf8)).keys.first { $0.id == id })
    }

    struct Verifier: Sendable {
        struct Answer: Decodable { var valid: Bool; var reason: String?; var status: String? }
        let url: String

        func verify(_ key: String) async throws -> Answer {
            var request = HTTPRequest(method: .POST, url: url, headers: ["Content-Type": "application/json"],
                                      body: Array(#"{"key":"\#(key)"}"#.utf8))
            request.timeout = .seconds(10)
            request.secrets = [key]
            let response = try await HTTPClient.shared.execute(request)
            return try response.decode(Answer.self)
        }
    }

    /// A loopback port nothing listens on now.
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socket, generic, length) == 0 && getsockname(socket, generic, &length) == 0
            }
        }
        guard bound else { throw CLIPortError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct CLIPortError: Error {}
}
