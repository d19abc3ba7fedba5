import Foundation
import RotorCore
import RotorCrypto
import RotorHTTP
import RotorSandbox
import RotorTestSupport
import Testing

/// Issue 12's manual rotation of a GitHub App private key, through the real binary on SQLite and PostgreSQL, against
/// the sandbox's GitHub App (real RS256 JWTs): `rotor run` asks for the key and serves the one-time supply link.
/// GET changes nothing; a POST from another origin, a value of the wrong form or a key GitHub refuses changes
/// nothing and leaves the link usable; the good key is taken once (a replay is refused), written, verified and in
/// grace. A link that expired (asked for by `rotor tick --now` ten days ago) is refused by the daemon, and the same
/// rotation then goes through with `rotor supply`. The private keys posted appear in no log, page, audit row,
/// notification or journal.
@Suite("GitHub App key: supply link through the daemon, and rotor supply", .serialized)
struct GitHubAppSupplyEndToEndTests {
    /// The rotor daemon in the background, its standard error in a file.
    final class Daemon: @unchecked Sendable {
        // Set up once before the object is shared; only read afterwards.
        let process = Process()
        let log: String

        init(_ world: World) throws {
            log = "\(world.dir)/daemon.log"
            FileManager.default.createFile(atPath: log, contents: nil)
            process.executableURL = URL(fileURLWithPath: RotorProcess.executable)
            process.arguments = ["run", "--interval", "1s"]
            process.environment = world.rotor.environment
            process.currentDirectoryURL = URL(fileURLWithPath: world.dir)
            process.standardOutput = FileHandle(forWritingAtPath: log)
            process.standardError = FileHandle(forWritingAtPath: log)
            try process.run()
        }

        var logText: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

        func stop() async -> Int32? {
            if process.isRunning { process.terminate() }
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            guard !process.isRunning else {
                kill(process.processIdentifier, SIGKILL)
                return nil
            }
            return process.terminationStatus
        }
    }

    static func playbook(_ secret: String, world: World, sandbox: String) -> String {
        """
        secret: \(secret)
        owner: platform-team
        schedule: { every: 90d, warn_before: [] }
        grace: 1h
        source:
          provider: manual
          instructions: |
            In GitHub: Settings → Developer settings → GitHub Apps → the app → Generate a private key. Paste the PEM.
          expect: '^\\s*-----BEGIN (RSA )?PRIVATE KEY-----[\\s\\S]+-----END (RSA )?PRIVATE KEY-----\\s*$'
          test: { provider: github-app, app_id: 1029384, api_url: "\(sandbox)/github" }
          request_before: 3d
          deadline: 2d
        targets:
          - { provider: file, path: "\(world.dir)/\(secret).json", format: json, key: GITHUB_APP_PRIVATE_KEY }
        checks:
          - { provider: github-app, app_id: 1029384, api_url: "\(sandbox)/github" }
        notify: [ops]
        """
    }

    /// "Generate a private key" in the sandbox App's settings: the PEM GitHub shows once.
    static func generateKey(_ sandbox: String) async throws -> String {
        var request = HTTPRequest(method: .POST, url: sandbox + "/_sandbox/github/app/keys", body: Array("{}".utf8))
        request.headers.add(name: "Content-Type", value: "application/json")
        let response = try await HTTPClient.shared.execute(request)
        let json = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return try #require(json?["pem"] as? String)
    }

    static func setDue(_ world: World, _ secret: String, at date: Date) async throws {
        try await world.withStore { tx, _ in
            var record = try #require(try tx.secret(named: secret))
            record.nextRotationAt = date
            try tx.upsertSecret(record)
        }
    }

    static func state(_ world: World, _ secret: String) async throws -> RotationState? {
        try await world.withStore { tx, _ in try tx.rotations(secretName: secret).first?.state }
    }

    /// The supply link in the newest request for `secret` in the outbox.
    static func link(_ world: World, _ secret: String, port: Int) async throws -> String {
        let listed = try await world.run(["notifications", "list", "--secret", secret, "--json"])
        let rows = try #require((try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])?["notifications"]
            as? [[String: Any]])
        let body = try #require(rows.first { $0["kind"] as? String == "supply-request" }?["body"] as? String)
        let match = try #require(body.firstMatch(of: try Regex("http://127\\.0\\.0\\.1:\(port)/s/[A-Za-z0-9_.-]+")))
        return String(match.output[0].substring ?? "")
    }

    struct Page {
        var status: Int
        var text: String
    }

    static func get(_ url: String) async throws -> Page {
        let response = try await HTTPClient.shared.execute(HTTPRequest(method: .GET, url: url))
        return Page(status: response.status, text: response.bodyText)
    }

    static func post(_ url: String, value: String, csrf: String, origin: String) async throws -> Page {
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        var request = HTTPRequest(method: .POST, url: url, body: Array("value=\(encoded)&csrf=\(csrf)".utf8))
        request.headers.add(name: "Origin", value: origin)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.isIdempotent = false
        request.secrets = [value]
        let response = try await HTTPClient.shared.execute(request)
        return Page(status: response.status, text: response.bodyText)
    }

    static func csrf(_ page: Page) throws -> String {
        let start = try #require(page.text.range(of: "name=\"csrf\" value=\"")).upperBound
        return String(page.text[start...].prefix { $0 != "\"" })
    }

    static func targetValue(_ world: World, _ secret: String) throws -> String? {
        guard let data = FileManager.default.contents(atPath: "\(world.dir)/\(secret).json") else { return nil }
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["GITHUB_APP_PRIVATE_KEY"] as? String
    }

    @Test(arguments: Backend.allCases)
    func theDaemonServesTheLinkOnceRefusesWhatDoesNotFitAndExpiredLinksAndRotorSupplyFinishes(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        let sandbox = Sandbox()
        let sandboxURL = "http://127.0.0.1:\(try await sandbox.start())"
        let port = try KeyIndexEndToEndTests.freePort()
        let origin = "http://127.0.0.1:\(port)"
        try await withCleanup({ await world.close(); await sandbox.stop() }) {
            try """
                server: { listen: "127.0.0.1:\(port)", public_url: "\(origin)" }
                channels:
                  ops: { type: outbox }
                """.write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            for secret in ["gh-app-key", "gh-app-key-late"] {
                try Self.playbook(secret, world: world, sandbox: sandboxURL)
                    .write(toFile: "\(world.dir)/Playbooks/\(secret).yml", atomically: true, encoding: .utf8)
            }
            try FileManager.default.removeItem(atPath: "\(world.dir)/Playbooks/app-token.yml")
            #expect(try await world.run(["init"]).status == 0)
            let oldKey = try await Self.generateKey(sandboxURL)
            for secret in ["gh-app-key", "gh-app-key-late"] {
                let imported = try await world.run(["import", secret], stdin: oldKey)
                try #require(imported.status == 0, "\(imported)")
            }
            var outputs: [String] = []

            // Ten days ago the late key was asked for; its link expired five days ago (request_before 3d + deadline 2d).
            let tenDaysAgo = Date().addingTimeInterval(-10 * 86_400)
            try await Self.setDue(world, "gh-app-key-late", at: tenDaysAgo.addingTimeInterval(-60))
            try await Self.setDue(world, "gh-app-key", at: tenDaysAgo.addingTimeInterval(30 * 86_400))
            let asked = try await world.run(["tick", "--now", ISO8601.string(tenDaysAgo)])
            outputs.append(asked.stdout + asked.stderr)
            #expect(try await Self.state(world, "gh-app-key-late") == .awaitingValue, "\(asked)")
            let lateLink = try await Self.link(world, "gh-app-key-late", port: port)

            // Now the other key is due: the daemon's first pass asks for it.
            try await Self.setDue(world, "gh-app-key", at: Date().addingTimeInterval(-60))
            let daemon = try Daemon(world)
            var stopped = false
            try await withCleanup({ if !stopped { _ = await daemon.stop() } }) {
                try await eventually("the daemon asks for the key and serves", timeout: .seconds(60), every: .milliseconds(100)) {
                    guard try await Self.state(world, "gh-app-key") == .awaitingValue else { return false }
                    let health = try? await Self.get(origin + "/healthz")
                    return health?.status == 200
                }
                let link = try await Self.link(world, "gh-app-key", port: port)
                #expect(link != lateLink)

                // The expired link: its page is gone (so no form, no CSRF token: a POST is refused before the link is
                // even looked up; SupplyLinkTests posts to an expired link with its page's token: 410). Nothing changes.
                #expect(try await Self.get(lateLink).status == 410)
                let latePost = try await Self.post(lateLink, value: try await Self.generateKey(sandboxURL), csrf: "none", origin: origin)
                #expect(latePost.status == 403, "\(latePost.status)")
                #expect(try await Self.state(world, "gh-app-key-late") == .awaitingValue)

                // GET shows the request and changes nothing, however often.
                var page = try await Self.get(link)
                for _ in 0..<2 { page = try await Self.get(link) }
                #expect(page.status == 200 && page.text.contains("Generate a private key") && page.text.contains("Deadline"))
                let csrf = try Self.csrf(page)
                #expect(try await Self.state(world, "gh-app-key") == .awaitingValue)
                #expect(try Self.targetValue(world, "gh-app-key") == nil)

                // The owner generates the new key in GitHub; a hostile page tries to post it first.
                let newKey = try await Self.generateKey(sandboxURL)
                let crossOrigin = try await Self.post(link, value: newKey, csrf: csrf, origin: "https://evil.example.com")
                #expect(crossOrigin.status == 403)
                let forged = try await Self.post(link, value: newKey, csrf: "forged", origin: origin)
                #expect(forged.status == 403)
                // A value of the wrong form, and a well-formed key GitHub never registered: refused, link still usable.
                let malformed = try await Self.post(link, value: "ghp_notAnAppKey", csrf: csrf, origin: origin)
                #expect(malformed.status == 422 && malformed.text.contains("expected form") && malformed.text.contains("still works"))
                let unregistered = try RSAPrivateKey.generate().pem
                let refused = try await Self.post(link, value: unregistered, csrf: csrf, origin: origin)
                #expect(refused.status == 422 && refused.text.contains("HTTP 401"), "\(refused.text)")
                #expect(try await Self.state(world, "gh-app-key") == .awaitingValue)
                #expect(try Self.targetValue(world, "gh-app-key") == nil)

                // The good key: checked against GET /app, written, verified, in grace. Once.
                let taken = try await Self.post(link, value: newKey, csrf: csrf, origin: origin)
                #expect(taken.status == 200 && taken.text.contains("new value accepted"), "\(taken.text)")
                #expect(try await Self.state(world, "gh-app-key") == .grace)
                #expect(try Self.targetValue(world, "gh-app-key") == newKey)
                let replay = try await Self.post(link, value: newKey, csrf: csrf, origin: origin)
                #expect(replay.status == 410)
                #expect(try await Self.get(link).status == 410)
                for answer in [page, crossOrigin, forged, malformed, refused, taken, replay, latePost] {
                    outputs.append(answer.text)
                }

                stopped = true
                #expect(await daemon.stop() == 0)
                outputs.append(daemon.logText)
            }

            // The late rotation still waits; `rotor supply` reads the key from standard input.
            let lateKey = try await Self.generateKey(sandboxURL)
            let wrong = try await world.run(["supply", "gh-app-key-late"], stdin: unregisteredKey())
            #expect(wrong.status == 1 && wrong.stderr.contains("HTTP 401"), "\(wrong)")
            let supplied = try await world.run(["supply", "gh-app-key-late"], stdin: lateKey)
            #expect(supplied.status == 0, "\(supplied)")
            #expect(try await Self.state(world, "gh-app-key-late") == .grace)
            // `rotor supply` drops the line break that ends standard input.
            #expect(try Self.targetValue(world, "gh-app-key-late")?.trimmingCharacters(in: .newlines)
                    == lateKey.trimmingCharacters(in: .newlines))
            outputs += [wrong.stdout, wrong.stderr, supplied.stdout, supplied.stderr]

            let audit = try await world.run(["audit", "export", "--format", "json"])
            #expect(audit.stdout.contains("value.supplied") && audit.stdout.contains("link:platform-team"))
            outputs.append(audit.stdout)
            let notifications = try await world.run(["notifications", "list", "--json"])
            outputs.append(notifications.stdout)
            let journal = try await world.withStore { tx, _ in
                try ["gh-app-key", "gh-app-key-late"].flatMap { secret in
                    try tx.rotations(secretName: secret).flatMap { try tx.journal(rotationID: $0.id) }.map { $0.detail ?? "" }
                }
            }
            let everything = (outputs + journal).joined(separator: "\n")
            for key in [oldKey] + (try await Self.currentKeys(world)) {
                let body = key.split(separator: "\n").dropFirst().first.map(String.init) ?? key
                #expect(!everything.contains(body), "a private key leaked into a page, the daemon's log, audit, notifications or the journal")
            }
        }
    }

    /// A well-formed RSA key the sandbox's App never registered.
    func unregisteredKey() throws -> String { try RSAPrivateKey.generate().pem }

    /// The values the targets hold now (the keys supplied).
    static func currentKeys(_ world: World) async throws -> [String] {
        try ["gh-app-key", "gh-app-key-late"].compactMap { try targetValue(world, $0) }
    }
}
