import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// How the command line takes its input, through the real binary: global options before or after the
/// subcommand, flag over environment over rotor.yml, confirmation of destructive commands on a pipe and on a
/// pseudo-terminal, `--now` and the audit rows written under it.
@Suite("CLI input", .serialized)
struct CLIInputTests {
    @Test func globalOptionsWorkBeforeAndAfterTheSubcommand() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            // Nothing in the environment points at the world: only the flags do.
            let unset = ["ROTOR_HOME": "", "ROTOR_STORE": "", "ROTOR_PLAYBOOKS": ""]
            let playbooks = "\(world.dir)/Playbooks"
            for arguments in [["--home", world.home, "--playbooks", playbooks, "status", "app-token"],
                              ["status", "app-token", "--home", world.home, "--playbooks", playbooks],
                              ["--home=\(world.home)", "status", "--playbooks=\(playbooks)", "app-token"],
                              ["--home", world.home, "history", "--playbooks", playbooks, "app-token"]] {
                let result = try await world.run(arguments, env: unset)
                #expect(result.status == 0, "\(arguments): \(result)")
                #expect(result.stdout.contains("app-token"), "\(arguments): \(result)")
            }
            // Nested subcommands: the option may sit between `keys` and `list`.
            for arguments in [["--home", world.home, "keys", "list"], ["keys", "--home", world.home, "list"],
                              ["keys", "list", "--home", world.home]] {
                let result = try await world.run(arguments, env: unset)
                #expect(result.status == 0, "\(arguments): \(result)")
            }
            // A flag beats the environment, wherever it is written.
            let elsewhere = ["ROTOR_HOME": "\(world.dir)/nowhere", "ROTOR_STORE": ""]
            for arguments in [["--home", world.home, "status", "app-token"], ["status", "app-token", "--home", world.home]] {
                let result = try await world.run(arguments, env: elsewhere)
                #expect(result.status == 0, "\(arguments): \(result)")
            }
            #expect(try await world.run(["status", "app-token"], env: elsewhere).status != 0, "the environment is used without a flag")
            // A global option with its value missing, or an unknown one before the subcommand, is a usage error.
            for arguments in [["status", "--home"], ["--home"], ["--homey", "x", "status"]] {
                let result = try await world.run(arguments)
                #expect(result.status != 0, "\(arguments): \(result)")
                #expect(result.stderr.contains("Error") || result.stderr.contains("error"), "\(arguments): \(result)")
            }
        }
    }

    @Test func serveListensWhereRotorYmlSaysUnlessTheEnvironmentOrAFlagSaysOtherwise() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let ports = try (0..<3).map { _ in try Self.freePort() }
            try "server: { listen: \"127.0.0.1:\(ports[0])\" }\n".write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            let cases: [(arguments: [String], env: [String: String], port: UInt16)] = [
                (["serve"], [:], ports[0]),
                (["serve"], ["ROTOR_LISTEN": "127.0.0.1:\(ports[1])"], ports[1]),
                (["serve", "--listen", "127.0.0.1:\(ports[2])"], ["ROTOR_LISTEN": "127.0.0.1:\(ports[1])"], ports[2]),
                (["serve", "--port", "\(ports[2])"], ["ROTOR_LISTEN": "127.0.0.1:\(ports[1])"], ports[2]),
            ]
            for item in cases {
                let server = try DaemonTests.Background(world, item.arguments, env: item.env)
                defer { server.process.terminate(); server.process.waitUntilExit() }
                let answer = await Self.healthz(port: item.port, while: server.process)
                #expect(answer?.hasPrefix("HTTP/1.1 200") == true, "\(item.arguments) \(item.env): no answer on \(item.port)")
            }
            for (env, arguments, origin) in [(["ROTOR_LISTEN": "nonsense"], ["serve"], "ROTOR_LISTEN"),
                                             ([:], ["serve", "--listen", String(repeating: "9", count: 100_000)], "--listen"),
                                             ([:], ["run", "--listen", "127.0.0.1:99999"], "--listen")] {
                let refused = try await world.run(arguments, env: env)
                #expect(refused.status != 0, "\(refused)")
                #expect(refused.stderr.contains(origin) && refused.stderr.contains("HOST:PORT"), "\(refused)")
            }
        }
    }

    @Test func revokingAKeyRefusesWithoutYesOnAPipeAndAsksOnATerminal() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            func createKey() async throws -> String {
                let created = try await world.run(["keys", "create", "--org", "acme", "--json"])
                let json = try #require(try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any], "\(created)")
                return try #require(json["id"] as? String)
            }
            func status(_ id: String) async throws -> String? {
                let list = try await world.run(["keys", "list", "--json"])
                let document = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any], "\(list)")
                let keys = try #require(document["keys"] as? [[String: Any]], "\(list)")
                return keys.first { $0["id"] as? String == id }?["status"] as? String
            }
            let id = try await createKey()
            // A pipe: nobody can answer, so it refuses with a usage error and changes nothing.
            let piped = try await world.run(["keys", "revoke", id, "--reason", "leaked"], stdin: "yes\n")
            #expect(piped.status == 2, "\(piped)")
            #expect(piped.stderr.contains("not a terminal") && piped.stderr.contains("--yes"), "\(piped)")
            #expect(try await status(id) == "active")

            // A terminal: "no" changes nothing, "yes" revokes.
            let terminal = { (input: String) in
                try await PseudoTerminal.run(["keys", "revoke", id, "--reason", "leaked"], input: input,
                                             environment: world.rotor.environment, directory: world.dir)
            }
            let declined = try await terminal("no\n")
            #expect(declined.status == 1, "\(declined)")
            #expect(declined.output.contains("Type yes") && declined.output.contains("not confirmed"), "\(declined)")
            #expect(try await status(id) == "active")
            let confirmed = try await terminal("yes\n")
            #expect(confirmed.status == 0, "\(confirmed)")
            #expect(confirmed.output.contains("revoked"), "\(confirmed)")
            #expect(try await status(id) == "revoked")

            // --yes confirms from a script.
            let second = try await createKey()
            let scripted = try await world.run(["keys", "revoke", second, "--reason", "rotated away", "--yes"])
            #expect(scripted.status == 0, "\(scripted)")
            #expect(try await status(second) == "revoked")
        }
    }

    @Test func emergencyRevokeImmediatelyAsksOnATerminal() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            let old = try await world.initialise()
            let piped = try await world.run(["emergency", "app-token", "--reason", "leak", "--revoke-immediately"])
            #expect(piped.status == 2, "\(piped)")
            let declined = try await PseudoTerminal.run(["emergency", "app-token", "--reason", "leak", "--revoke-immediately"],
                                                        input: "\n", environment: world.rotor.environment, directory: world.dir)
            #expect(declined.status == 1 && declined.output.contains("not confirmed"), "\(declined)")
            #expect(try world.isLive(old))
            let confirmed = try await PseudoTerminal.run(["emergency", "app-token", "--reason", "leak", "--revoke-immediately"],
                                                         input: "yes\n", environment: world.rotor.environment, directory: world.dir)
            #expect(confirmed.status == 0, "\(confirmed)")
            #expect(try !world.isLive(old))
        }
    }

    @Test(arguments: Backend.allCases)
    func rowsWrittenUnderNowAreMarkedSimulatedInTheAuditExport(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        try await withCleanup({ await world.close() }) {
            try world.writePlaybook(grace: "1h", schedule: "{ every: 30d, warn_before: [] }")
            _ = try await world.initialise()
            let future = Date().addingTimeInterval(400 * 86_400)
            let now = ISO8601.string(future)
            // Time matters to status, schedule and compliance: all take --now, parsed the same way.
            #expect(try await world.run(["compliance"]).status == 0)
            let overdue = try await world.run(["compliance", "--now", now])
            #expect(overdue.status == 1 && overdue.stdout.contains("overdue"), "\(overdue)")
            let schedule = try await world.run(["schedule", "--now", now, "--json"])
            #expect(schedule.status == 0, "\(schedule)")
            let document = try #require(try JSONSerialization.jsonObject(with: Data(schedule.stdout.utf8)) as? [String: Any], "\(schedule)")
            let entries = try #require(document["entries"] as? [[String: Any]], "\(schedule)")
            // Seen from then, the next cycles run after that time (the overdue one keeps its due date).
            #expect(entries.contains { ($0["at"] as? String ?? "") >= now }, "\(schedule)")
            let today = try await world.run(["schedule", "--json"])
            #expect(!today.stdout.contains(String(now.prefix(7))), "\(today)")
            #expect(try await world.run(["status", "app-token", "--now", now]).status == 0)
            for bad in ["yesterday", "2026-13-45", String(repeating: "2", count: 100_000), "2026-01-01T00:00:00Z\u{1B}[2J"] {
                for command in ["status", "schedule", "compliance", "tick"] {
                    let refused = try await world.run([command, "--now", bad])
                    #expect(refused.status != 0 && refused.stderr.contains("is not a time"), "\(command) --now: \(refused)")
                }
            }

            let tick = try await world.run(["tick", "--now", now])
            #expect(tick.status == 0, "\(tick)")
            let export = try await world.run(["audit", "export", "--json"])
            #expect(export.status == 0, "\(export)")
            let rows = export.stdout.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let imported = rows.filter { $0["action"] as? String == "secret.imported" }
            let rotated = rows.filter { ($0["action"] as? String)?.hasPrefix("rotation.") == true }
            #expect(!imported.isEmpty && !rotated.isEmpty, "\(export.stdout)")
            #expect(imported.allSatisfy { $0["simulated_now"] == nil }, "real rows are not marked: \(imported)")
            #expect(rotated.allSatisfy { $0["simulated_now"] as? Bool == true }, "rows under --now are marked: \(rotated)")
            let csv = try await world.run(["audit", "export"])
            #expect(csv.stdout.hasPrefix("timestamp,") && csv.stdout.components(separatedBy: "\r\n")[0].hasSuffix(",simulated_now"))
        }
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> UInt16 {
        let (fd, port) = try Socket.boundNotListening()
        close(fd)
        return port
    }

    /// The status line of `GET /healthz` on `port`, retried while `process` runs and has not answered yet.
    static func healthz(port: UInt16, while process: Process) async -> String? {
        while process.isRunning {
            if let answer = get(port: port) { return answer }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return get(port: port)
    }

    static func get(port: UInt16) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = Socket.loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0, Socket.send(fd, Array("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)) else { return nil }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self).components(separatedBy: "\r\n").first
    }
}
