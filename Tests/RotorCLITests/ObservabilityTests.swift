import Foundation
#if canImport(Glibc)
import Glibc
#endif
import RotorCore
import RotorHTTP
import RotorTestSupport
import Testing
import Yams

/// `/metrics`, the JSON log and the access log of a real daemon (`rotor run` with its HTTP service), scraped
/// over loopback after a rotation that went live, one that was rolled back, a delivered notification and key
/// checks; and the example alert rules, checked by promtool and against that scrape.
@Suite("observability", .serialized)
struct ObservabilityTests {
    static let adminToken = "obs-admin-" + UUID().uuidString
    static let rulesFile = "\(OperationsTests.repository)/contrib/prometheus/rotor-rules.yml"
    static let rulesTestFile = "\(OperationsTests.repository)/contrib/prometheus/rotor-rules.test.yml"

    @Test(arguments: Backend.allCases)
    func aDaemonExportsMetricsAndLogsJSONWithoutSecrets(_ backend: Backend) async throws {
        let world = try await World.make(backend)
        let slack = try TestHTTPServer()
        slack.route("/slack", .text("ok"))
        let daemon = try await Daemon.start(world, slackURL: slack.url("/slack"))
        try await withCleanup({ daemon.stop(); slack.stop(); await world.close() }) {
            let canary = daemon.canary

            // A scheduled rotation goes live, and after its one-second grace completes.
            try await eventually("the scheduled rotation succeeded", timeout: .seconds(60), every: .milliseconds(200)) {
                try await daemon.scrape().value(RotorMetrics.rotations, ["secret": "app-token", "trigger": "schedule",
                                                                        "outcome": "succeeded"]) == 1
            }
            let live = try #require(try world.fileValue())
            try await eventually("the grace period ended", timeout: .seconds(60), every: .milliseconds(200)) {
                try await world.withStore { tx, _ in try tx.activeRotation(secretName: "app-token") } == nil
            }
            // The next one fails its check and is rolled back; its alert reaches Slack.
            try world.setAppDown(true)
            try await ObservabilityTests.makeDue(world)
            try await eventually("the failing rotation was rolled back", timeout: .seconds(60), every: .milliseconds(200)) {
                try await daemon.scrape().value(RotorMetrics.rotations, ["secret": "app-token", "trigger": "schedule",
                                                                        "outcome": "rolled_back"]) == 1
            }
            try await eventually("a notification was delivered", timeout: .seconds(60), every: .milliseconds(200)) {
                try await daemon.scrape().value(RotorMetrics.deliveries, ["channel": "ops-slack", "outcome": "sent"]) ?? 0 >= 1
            }

            // Key checks: the canary as a key, a hostile body; both answered, counted by result.
            #expect(try await daemon.post("/v1/keys/verify", #"{"key": "\#(canary)"}"#).status == 200)
            #expect(try await daemon.post("/v1/keys/verify", String(repeating: "{", count: 20_000)).status >= 400)
            // Tokens in URLs: a reply link, a link of no route, a query string, a huge path. None reaches the log.
            _ = try await daemon.get("/r/\(canary)")
            _ = try await daemon.get("/s/\(canary)")
            _ = try await daemon.get("/healthz?code=\(canary)")
            _ = try await daemon.get("/\(canary)" + String(repeating: "x%0Ay", count: 2_000))
            // /metrics is an admin route.
            #expect(try await daemon.get("/metrics").status == 401)
            #expect(try await daemon.get("/metrics", token: canary).status == 401)
            #expect(try await daemon.get("/metrics", token: String(repeating: "A", count: 6_000)).status == 401)

            let scrape = try await daemon.scrape()
            #expect(scrape.value(RotorMetrics.verifyRequests, ["result": "bad_format"]) == 1, "\(scrape.text)")
            #expect((scrape.value(RotorMetrics.verifyDuration + "_count", [:]) ?? 0) >= 1)
            for (provider, step) in [("exec", "generate"), ("file", "propagate"), ("http", "verify"), ("rotor", "promote"),
                                     ("file", "undo_propagate"), ("exec", "undo_generate")] {
                #expect((scrape.value(RotorMetrics.stepDuration + "_count", ["provider": provider, "step": step]) ?? 0) >= 1,
                        "\(provider) \(step): \(scrape.text)")
            }
            // Counters of outcomes not seen yet are there at zero, so that `increase()` sees their first increment.
            #expect(scrape.value(RotorMetrics.rotations, ["secret": "app-token", "trigger": "emergency", "outcome": "failed"]) == 0)
            #expect(scrape.value(RotorMetrics.deliveries, ["channel": "ops-slack", "outcome": "failed"]) == 0)
            #expect(scrape.value(RotorMetrics.leasesHeld, [:]) == 0)
            #expect(scrape.value(RotorMetrics.outboxDepth, [:]) != nil)
            let age = try #require(scrape.value(RotorMetrics.secretAge, ["secret": "app-token"]))
            #expect(age >= 0 && age < 3_600)
            let maxAge = try #require(scrape.value(RotorMetrics.secretMaxAge, ["secret": "app-token"]))
            #expect(abs(maxAge - 90 * 86_400) < 0.001, "the default max_age of 90 days: \(maxAge)")
            #expect((scrape.value(RotorMetrics.schedulerPassDuration + "_count", [:]) ?? 0) >= 2)
            #expect(scrape.value(RotorMetrics.schedulerInterval, [:]) == 1)
            #expect(scrape.value(RotorMetrics.schedulerLag, [:]) != nil)
            let lastPass = try #require(scrape.value(RotorMetrics.schedulerLastPass, [:]))
            #expect(abs(lastPass - Date().timeIntervalSince1970) < 120)
            // Every metric the example rules alert on is one this server exports.
            for name in try ObservabilityTests.ruleMetricNames() {
                #expect(scrape.names.contains(name), "rotor-rules.yml uses \(name), which /metrics does not export")
            }
            for value in [canary, live] { #expect(!scrape.text.contains(value), "a secret value in /metrics") }

            let (stdout, stderr) = try await daemon.terminate()
            #expect(stdout.hasPrefix("rotor daemon "), "the start-up line: \(stdout)")
            for value in [canary, live, ObservabilityTests.adminToken] {
                #expect(!stdout.contains(value) && !stderr.contains(value), "a secret in the output")
            }
            try ObservabilityTests.checkJSONLog(stderr)
        }
    }

    /// `--log-format json` on any command, over ROTOR_LOG_FORMAT; an unknown format is said, and logs as text;
    /// an unknown flag value is a usage error.
    @Test func theLogFormatComesFromTheFlagOrTheEnvironment() async throws {
        let world = try await World.make(.sqlite)
        try await withCleanup({ await world.close() }) {
            _ = try await world.initialise()
            let debug = ["ROTOR_LOG_LEVEL": "debug", "ROTOR_LOG_FORMAT": "text"]
            let json = try await world.run(["status", "--log-format", "json"], env: debug)
            #expect(json.status == 0, "\(json)")
            #expect(!json.stderr.isEmpty, "debug lines were logged: \(json)")
            try ObservabilityTests.checkLines(json.stderr)
            let fromEnvironment = try await world.run(["status"], env: ["ROTOR_LOG_LEVEL": "debug", "ROTOR_LOG_FORMAT": "JSON"])
            try ObservabilityTests.checkLines(fromEnvironment.stderr)
            let unknown = try await world.run(["status"], env: ["ROTOR_LOG_LEVEL": "debug", "ROTOR_LOG_FORMAT": "xml\u{1B}[31m"])
            #expect(unknown.status == 0, "\(unknown)")
            #expect(unknown.stderr.contains("is not text or json; logging as text"), "\(unknown)")
            #expect(!unknown.stderr.contains("\u{1B}"), "a control character from the environment reached the terminal")
            let usage = try await world.run(["status", "--log-format", "yaml"])
            #expect(usage.status != 0 && usage.stderr.contains("log-format"), "\(usage)")
        }
    }

    /// Every line of `stderr` is a JSON object with an RFC 3339 UTC `time`, a `level` and a `message`.
    @discardableResult
    static func checkLines(_ stderr: String) throws -> [[String: Any]] {
        var records: [[String: Any]] = []
        for line in stderr.split(separator: "\n").map(String.init) {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let record = try #require(object, "not a JSON object: \(line.prefix(300))")
            let time = try #require(record["time"] as? String)
            #expect(time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil, "RFC 3339 UTC: \(time)")
            #expect(record["level"] is String && record["message"] is String)
            records.append(record)
        }
        return records
    }

    /// Every line a JSON object with time, level and message; the fields the issue names where they are known.
    static func checkJSONLog(_ stderr: String) throws {
        let records = try checkLines(stderr)
        let passes = records.filter { ($0["message"] as? String)?.hasPrefix("scheduler pass") == true }
        #expect(!passes.isEmpty && passes.allSatisfy { $0["level"] as? String == "info" && $0["pass_duration_ms"] != nil })
        #expect(records.contains { $0["rotation_id"] != nil && $0["secret"] as? String == "app-token" }, "\(stderr.prefix(3000))")
        #expect(records.contains { $0["rotation_id"] != nil && ($0["step"] as? String)?.hasPrefix("verify") == true },
                "the failed check names its step")
        let access = records.filter { $0["message"] as? String == "http request" }
        let paths = Set(access.compactMap { $0["http_path"] as? String })
        #expect(paths.isSuperset(of: ["/metrics", "/v1/keys/verify", "/r/{token}", "/s/{token}", "/healthz", "/…"]), "\(paths)")
        #expect(access.allSatisfy { $0["http_client"] as? String == "127.0.0.1" && $0["http_status"] != nil
            && $0["http_method"] != nil && $0["http_duration_ms"] != nil })
        #expect(access.contains { $0["http_path"] as? String == "/metrics" && $0["http_status"] as? String == "401" })
    }

    /// The rules parse as Prometheus rules (promtool, installed by `make deps`) and fire as their unit tests say.
    @Test(.enabled(if: promtool != nil || ProcessInfo.processInfo.environment["CI"] == "true",
                   "promtool is not installed (scripts/deps.sh installs Debian's prometheus)"))
    func theExampleAlertRulesPassPromtool() throws {
        let promtool = try #require(Self.promtool, "CI must have promtool (scripts/deps.sh installs prometheus)")
        let check = try OperationsTests.run(promtool, ["check", "rules", Self.rulesFile])
        #expect(check.status == 0, "\(check.output)")
        let test = try OperationsTests.run(promtool, ["test", "rules", Self.rulesTestFile])
        #expect(test.status == 0, "\(test.output)")
    }

    /// Without promtool too: the file's structure, and an alert for each thing the issue names.
    @Test func theExampleAlertRulesAreWellFormed() throws {
        let text = try String(contentsOfFile: Self.rulesFile, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        let groups = try #require(root["groups"] as? [[String: Any]])
        let rules = groups.flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }
        for rule in rules {
            #expect(rule["alert"] is String && rule["expr"] is String, "\(rule)")
            #expect(((rule["labels"] as? [String: Any])?["severity"]) is String, "\(rule)")
            #expect(((rule["annotations"] as? [String: Any])?["summary"]) is String, "\(rule)")
        }
        let alerts = Set(rules.compactMap { $0["alert"] as? String })
        #expect(alerts.isSuperset(of: ["RotorDown", "RotorSecretNearMaxAge", "RotorRotationFailed", "RotorRotationRolledBack",
                                       "RotorOutboxBacklog", "RotorSchedulerLag"]), "\(alerts)")
        #expect(Set(try Self.ruleMetricNames()).isSubset(of: Set(RotorMetrics.all)))
    }

    static let promtool = ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The `rotor_…` metric names the rules' expressions use.
    static func ruleMetricNames() throws -> [String] {
        let text = try String(contentsOfFile: rulesFile, encoding: .utf8)
        let root = try #require(try Yams.load(yaml: text) as? [String: Any])
        let exprs = ((root["groups"] as? [[String: Any]]) ?? []).flatMap { ($0["rules"] as? [[String: Any]]) ?? [] }
            .compactMap { $0["expr"] as? String }
        return Array(Set(exprs.flatMap { $0.matches(of: /rotor_[a-z_]+/).map { String($0.output) } })).sorted()
    }

    static func makeDue(_ world: World) async throws {
        try await world.withStore { tx, _ in
            var secret = try #require(try tx.secret(named: "app-token"))
            secret.nextRotationAt = Date().addingTimeInterval(-60)
            try tx.upsertSecret(secret)
        }
    }
}

extension ObservabilityTests {
    /// `rotor run --interval 1s` with its HTTP service on a loopback port, logging JSON at info into files.
    final class Daemon: @unchecked Sendable {
        // Set once before the object is shared, and only read afterwards.
        let process = Process()
        let port: UInt16
        let canary: String
        let stdoutPath: String
        let stderrPath: String

        static func start(_ world: World, slackURL: String) async throws -> Daemon {
            try """
                channels:
                  ops-slack: { type: slack, url: env:SLACK_WEBHOOK_URL }
                """.write(toFile: "\(world.dir)/rotor.yml", atomically: true, encoding: .utf8)
            try world.writePlaybook(grace: "1s", schedule: "{ every: 30d, warn_before: 7d }", notify: ["ops-slack"])
            let canary = "obs_canary_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
            _ = try await world.initialise(currentValue: canary)
            try await ObservabilityTests.makeDue(world)
            // A free port: bound by the kernel's choice, then let go for the daemon to listen on.
            let (fd, port) = try Socket.boundNotListening()
            close(fd)
            let daemon = try Daemon(world, port: port, canary: canary, env: [
                "ROTOR_ADMIN_TOKEN": ObservabilityTests.adminToken, "ROTOR_LOG_LEVEL": "info", "ROTOR_LOG_FORMAT": "json",
                "SLACK_WEBHOOK_URL": slackURL,
            ])
            try await eventually("the daemon's HTTP service answers", timeout: .seconds(60), every: .milliseconds(100)) {
                (try? await daemon.get("/healthz").status) == 200
            }
            return daemon
        }

        private init(_ world: World, port: UInt16, canary: String, env: [String: String]) throws {
            self.port = port
            self.canary = canary
            stdoutPath = "\(world.dir)/daemon.out"
            stderrPath = "\(world.dir)/daemon.err"
            FileManager.default.createFile(atPath: stdoutPath, contents: nil)
            FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: RotorProcess.executable)
            process.arguments = ["run", "--interval", "1s", "--port", "\(port)"]
            process.environment = world.rotor.environment.merging(env) { $1 }
            process.currentDirectoryURL = URL(fileURLWithPath: world.dir)
            process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
            process.standardError = FileHandle(forWritingAtPath: stderrPath)
            try process.run()
        }

        func stop() {
            if process.isRunning { process.terminate() }
        }

        /// SIGTERM, then what the daemon wrote.
        func terminate() async throws -> (stdout: String, stderr: String) {
            process.terminate()
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(!process.isRunning && process.terminationStatus == 0, "SIGTERM stops the daemon cleanly")
            return (try String(contentsOfFile: stdoutPath, encoding: .utf8), try String(contentsOfFile: stderrPath, encoding: .utf8))
        }

        func get(_ path: String, token: String? = nil) async throws -> HTTPResponse {
            var headers: HTTPHeaders = [:]
            if let token { headers.add(name: "Authorization", value: "Bearer \(token)") }
            return try await HTTPClient.shared.execute(HTTPRequest(url: "http://127.0.0.1:\(port)\(path)", headers: headers))
        }

        func post(_ path: String, _ body: String) async throws -> HTTPResponse {
            try await HTTPClient.shared.execute(HTTPRequest(method: .POST, url: "http://127.0.0.1:\(port)\(path)",
                                                            headers: ["Content-Type": "application/json"], body: Array(body.utf8)))
        }

        func scrape() async throws -> Scrape {
            let response = try await get("/metrics", token: ObservabilityTests.adminToken)
            try #require(response.status == 200, "\(response.status)")
            #expect(response.headers["Content-Type"]?.hasPrefix("text/plain; version=0.0.4") == true)
            return Scrape(text: String(decoding: response.body, as: UTF8.self))
        }
    }

    /// Prometheus's text format, read as a user's PromQL would: by name and labels.
    struct Scrape {
        let text: String
        let samples: [(name: String, labels: [String: String], value: Double)]

        init(text: String) {
            self.text = text
            samples = text.split(separator: "\n").compactMap { line -> (String, [String: String], Double)? in
                guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
                else { return nil }
                let series = line[..<space]
                guard let brace = series.firstIndex(of: "{") else { return (String(series), [:], value) }
                var labels: [String: String] = [:]
                for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { labels[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
                }
                return (String(series[..<brace]), labels, value)
            }
        }

        /// The names of the metric families, without histogram suffixes.
        var names: Set<String> {
            Set(samples.map { $0.name.replacing(/_(bucket|sum|count)$/, with: "") })
        }

        /// The value of the one sample named `name` whose labels include `labels` (nil: none, or several).
        func value(_ name: String, _ labels: [String: String]) -> Double? {
            let matching = samples.filter { sample in
                sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
            }
            return matching.count == 1 ? matching[0].value : nil
        }
    }
}
