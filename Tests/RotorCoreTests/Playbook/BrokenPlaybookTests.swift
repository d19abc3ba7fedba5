import Testing
import RotorCore

/// A small broken playbook and the one problem it must produce.
struct BrokenCase: CustomTestStringConvertible, Sendable {
    let name: String
    let yaml: String
    let line: Int
    let column: Int
    let message: String
    let hint: String?

    init(_ name: String, _ yaml: String, at position: (Int, Int), _ message: String, hint: String? = nil) {
        self.name = name
        self.yaml = yaml
        (line, column) = position
        self.message = message
        self.hint = hint
    }

    var testDescription: String { name }
}

/// Lines most cases share; positions below count from them.
private let secretLine = "secret: s"                                          // value at 1:9
private let sourceLine = "source: {provider: random}"                         // { at 2:9, random at 2:20
private let targetsLine = "targets: [{provider: file, path: .env, key: K}]"   // [ at 3:10, { at 3:11
private let base = [secretLine, sourceLine, targetsLine].joined(separator: "\n")

private func lines(_ lines: String...) -> String { lines.joined(separator: "\n") + "\n" }
private func withLine(_ line: String) -> String { base + "\n" + line + "\n" }
private func vercel(_ extra: String...) -> String {
    lines(secretLine, sourceLine, "targets:", "  - provider: vercel", "    project: web", "    key: K", extra.joined(separator: "\n"))
}
private func httpSource(_ extra: String...) -> String {
    lines(secretLine, "source:", "  provider: http", "  value: /key", extra.joined(separator: "\n"), targetsLine)
}

@Suite("Broken playbooks")
struct BrokenPlaybookTests {
    static let cases: [BrokenCase] = [
        // YAML itself
        BrokenCase("mapping value inside a plain scalar", lines("secret: s", "  bad: x"), at: (2, 6),
                   "YAML syntax error: mapping values are not allowed in this context"),
        BrokenCase("tab indentation", lines("secret: s", "\tsource: x"), at: (2, 1),
                   "YAML syntax error: found a tab character that violates indentation"),
        BrokenCase("unclosed flow mapping", lines("secret: s", "source: {provider: random"), at: (3, 1),
                   "YAML syntax error: did not find expected ',' or '}'",
                   hint: "while parsing a flow mapping that started at line 2, column 9"),
        BrokenCase("two documents in one file", lines("secret: a", "---", "secret: b"), at: (2, 1),
                   "a playbook file holds one YAML document", hint: "one secret per file"),
        BrokenCase("control character", "secret: s\u{7}x\n", at: (1, 10),
                   "the file contains characters YAML does not allow: control characters are not allowed"),
        BrokenCase("undefined alias", lines("secret: *name"), at: (1, 9), "YAML syntax error: found undefined alias"),
        BrokenCase("python object tag", withLine("description: !!python/object:os.system [echo, hi]"), at: (4, 14),
                   "unknown YAML tag '!!python/object:os.system'", hint: "remove the tag"),
        BrokenCase("custom tag on a key", withLine("!custom owner: team"), at: (4, 1), "unknown YAML tag '!custom'"),
        BrokenCase("custom tag inside a target", lines(secretLine, sourceLine, "targets: [{provider: file, path: !env x, key: K}]"),
                   at: (3, 34), "unknown YAML tag '!env'"),
        BrokenCase("top level is a list", lines("- secret: s"), at: (1, 1),
                   "expected a mapping with keys such as secret:, source: and targets: for the playbook, got a list"),
        BrokenCase("top level is a string", lines("hello"), at: (1, 1), "for the playbook, got a string"),
        BrokenCase("empty file", "", at: (1, 1), "the file is empty", hint: "starts with 'secret: NAME'"),
        BrokenCase("only a comment", lines("# nothing here"), at: (1, 1), "the file is empty"),
        BrokenCase("duplicate top-level key", withLine("grace: 1h\ngrace: 2h"), at: (5, 1),
                   "duplicate key 'grace' (first at line 4, column 1)", hint: "each key may appear once"),
        BrokenCase("duplicate key in a flow mapping", lines(secretLine, sourceLine, "targets: [{provider: file, path: a, key: K, path: b}]"),
                   at: (3, 45), "duplicate key 'path' (first at line 3, column 28)"),
        BrokenCase("merge key with a number", withLine("<<: 5"), at: (4, 5),
                   "a merge key (<<) needs a mapping or a list of mappings, got a whole number"),
        BrokenCase("a list as a key", withLine("? [a, b]\n: c"), at: (4, 3), "keys must be plain names, got a list as a key"),
        // libyaml's scanner reads ahead while a simple key is possible, so it has counted the flow levels
        // before the parser reaches the second '[' (2:5), which is where it reports.
        BrokenCase("nesting deeper than libyaml allows", lines(secretLine, "x: " + String(repeating: "[", count: 2_000)),
                   at: (2, 5), "the YAML nests deeper than 1000 levels"),

        // Top-level keys and the secret's name
        BrokenCase("misspelt top-level key", withLine("gracee: 24h"), at: (4, 1),
                   "unknown key 'gracee' in the playbook", hint: "did you mean 'grace'?"),
        BrokenCase("unknown key with nothing close", withLine("colour: red"), at: (4, 1),
                   "unknown key 'colour' in the playbook", hint: "allowed keys: secret, description, owner, schedule"),
        BrokenCase("missing secret", lines(sourceLine, targetsLine), at: (1, 1),
                   "missing required key 'secret' in the playbook", hint: "secret: openai-api-key"),
        BrokenCase("secret name with capitals", lines("secret: OpenAI_Key", sourceLine, targetsLine), at: (1, 9),
                   "secret name 'OpenAI_Key' is not allowed", hint: "did you mean 'openai_key'?"),
        BrokenCase("secret name too long", lines("secret: " + String(repeating: "a", count: 64), sourceLine, targetsLine),
                   at: (1, 9), "is not allowed", hint: "use 1-63 characters a-z, 0-9"),
        BrokenCase("secret name starting with a dash", lines("secret: -key", sourceLine, targetsLine), at: (1, 9),
                   "secret name '-key' is not allowed"),
        BrokenCase("secret is a list", lines("secret: [a]", sourceLine, targetsLine), at: (1, 9),
                   "expected a string for 'secret', got a list"),
        BrokenCase("secret left empty", lines("secret:", sourceLine, targetsLine), at: (1, 8),
                   "expected a string for 'secret', got null"),
        BrokenCase("owner is a YAML boolean", withLine("owner: yes"), at: (4, 8),
                   "expected a string for 'owner', got a boolean", hint: "quote it to make it a string: \"yes\""),
        BrokenCase("description is a mapping", withLine("description: {a: 1}"), at: (4, 14),
                   "expected a string for 'description', got a mapping"),

        // Source
        BrokenCase("missing source", lines(secretLine, targetsLine), at: (1, 1),
                   "missing required key 'source' in the playbook", hint: "known source providers: http, key-table, random"),
        BrokenCase("source is a string", lines(secretLine, "source: random", targetsLine), at: (2, 9),
                   "expected a mapping with 'provider:' and its settings for 'source', got a string"),
        BrokenCase("source without provider", lines(secretLine, "source: {length: 32}", targetsLine), at: (2, 9),
                   "missing required key 'provider' in source", hint: "known source providers: http, key-table, random"),
        BrokenCase("misspelt source provider", lines(secretLine, "source: {provider: randon}", targetsLine), at: (2, 20),
                   "unknown source provider 'randon'", hint: "did you mean 'random'?"),
        BrokenCase("target provider used as source", lines(secretLine, "source: {provider: vercel}", targetsLine), at: (2, 20),
                   "unknown source provider 'vercel'", hint: "'vercel' is a target provider; known source providers: http, key-table, random"),
        BrokenCase("misspelt provider field", lines(secretLine, "source: {provider: random, lenght: 32}", targetsLine), at: (2, 28),
                   "unknown key 'lenght' in random source", hint: "did you mean 'length'?"),
        BrokenCase("integer below its range", lines(secretLine, "source: {provider: random, length: 8}", targetsLine), at: (2, 36),
                   "'length' must be from 16 to 256, got 8"),
        BrokenCase("quoted integer", lines(secretLine, "source: {provider: random, length: \"32\"}", targetsLine), at: (2, 36),
                   "expected a whole number for 'length', got a string"),
        BrokenCase("enumeration typo", lines(secretLine, "source: {provider: random, alphabet: base63}", targetsLine), at: (2, 38),
                   "'base63' is not one of base62, hex, base64url for 'alphabet'", hint: "did you mean 'base62'?"),
        BrokenCase("http source without value pointer", lines(secretLine, "source: {provider: http}", targetsLine), at: (2, 9),
                   "missing required key 'value' in http source", hint: "JSON pointer to the new secret"),
        BrokenCase("value that is not a JSON pointer", lines(secretLine, "source:", "  provider: http", "  value: data.key", targetsLine),
                   at: (4, 10), "'value' must be a JSON pointer", hint: "a pointer starts with '/'"),
        BrokenCase("misspelt key inside a nested object", httpSource("  mint: {url: \"https://vendor.example/keys\", metod: POST}"),
                   at: (5, 46), "unknown key 'metod' in 'mint' of http source", hint: "did you mean 'method'?"),
        BrokenCase("nested object without its required key", httpSource("  mint: {method: POST}"), at: (5, 9),
                   "missing required key 'url' in 'mint' of http source", hint: "where to send the request"),
        BrokenCase("headers given as a list", httpSource("  mint: {url: \"https://v.example/\", headers: [a]}"), at: (5, 46),
                   "expected a mapping of names to strings for 'headers', got a list"),
        BrokenCase("nested object given as a string", httpSource("  revoke: DELETE"), at: (5, 11),
                   "expected a mapping for 'revoke', got a string"),

        // Targets
        BrokenCase("target without a required field", lines(secretLine, sourceLine, "targets: [{provider: file, path: .env}]"),
                   at: (3, 11), "missing required key 'key' in file target", hint: "the entry to set"),
        BrokenCase("targets is a mapping", lines(secretLine, sourceLine, "targets: {provider: file}"), at: (3, 10),
                   "expected a list of targets for 'targets', got a mapping"),
        BrokenCase("target is a string", lines(secretLine, sourceLine, "targets: [file]"), at: (3, 11),
                   "expected a mapping with 'provider:' and its settings for 'targets[0]', got a string"),
        BrokenCase("no targets for a non-key-table source", lines(secretLine, sourceLine, "targets: []"), at: (3, 10),
                   "'targets' is empty", hint: "only a key-table source may have no targets"),
        BrokenCase("targets missing", lines(secretLine, sourceLine), at: (1, 1),
                   "missing required key 'targets' in the playbook"),
        BrokenCase("enumeration list with a typo", vercel("    environments: [production, prod]"), at: (7, 32),
                   "'prod' is not one of production, preview, development for 'environments'", hint: "did you mean 'production'?"),
        BrokenCase("enumeration list with a repeat", vercel("    environments: [preview, preview]"), at: (7, 29),
                   "'preview' is listed twice in 'environments'"),
        BrokenCase("enumeration list given as a string", vercel("    environments: production"), at: (7, 19),
                   "expected a list of production, preview, development for 'environments', got a string"),
        BrokenCase("credential written in place of a reference", vercel("    token: sk_live_abc123"), at: (7, 12),
                   "'token' must be a credential reference (env:NAME, file:PATH or secret:NAME)",
                   hint: "never write the credential itself into a playbook"),
        BrokenCase("env reference with a bad name", vercel("    token: env:1BAD"), at: (7, 12),
                   "must be a credential reference", hint: "env: needs a variable name"),
        BrokenCase("secret reference with a bad name", vercel("    token: \"secret:Not Valid\""), at: (7, 12),
                   "must be a credential reference", hint: "secret: needs the name of a secret Rotor manages"),
        BrokenCase("boolean written as a word", vercel("    redeploy: maybe"), at: (7, 15),
                   "expected true or false for 'redeploy', got a string"),
        BrokenCase("URL with another scheme", vercel("    api: ftp://vercel.example"), at: (7, 10),
                   "'api' must be an absolute http or https URL"),
        BrokenCase("relative URL", vercel("    api: /v9/projects"), at: (7, 10), "'api' must be an absolute http or https URL"),
        BrokenCase("empty required string", vercel("    team: x", "    project: \"  \"").replacingOccurrences(of: "    project: web\n", with: ""),
                   at: (7, 14), "'project' must not be empty"),
        BrokenCase("cross-field rule naming a field", vercel("    environments: [production]", "    git_branch: main"), at: (8, 17),
                   "git_branch needs environments: [preview]"),
        BrokenCase("cross-field rule on the whole provider", lines(secretLine, sourceLine, "targets: [{provider: render, key: K}]"),
                   at: (3, 11), "render needs exactly one of service or env_group"),
        BrokenCase("cross-field rule with both fields", lines(secretLine, sourceLine, "targets: [{provider: render, service: a, env_group: b, key: K}]"),
                   at: (3, 11), "render needs exactly one of service or env_group"),

        // Checks
        BrokenCase("checks is a mapping", withLine("checks: {provider: http}"), at: (4, 9),
                   "expected a list of checks for 'checks', got a mapping"),
        BrokenCase("misspelt check provider", withLine("checks: [{provider: https, url: \"https://x.example/\"}]"), at: (4, 21),
                   "unknown check provider 'https'", hint: "did you mean 'http'?"),
        BrokenCase("check without url", withLine("checks: [{provider: http}]"), at: (4, 10),
                   "missing required key 'url' in http check", hint: "the health endpoint"),
        BrokenCase("status code out of range", withLine("checks: [{provider: http, url: \"https://x.example/\", expect_status: 700}]"),
                   at: (4, 69), "'expect_status' must be from 100 to 599, got 700"),
        BrokenCase("check timeout in words", withLine("checks: [{provider: http, url: \"https://x.example/\", timeout: 5 sec}]"),
                   at: (4, 63), "'5 sec' is not a duration for 'timeout'"),

        // Durations
        BrokenCase("fractional duration", withLine("grace: 1.5h"), at: (4, 8),
                   "'1.5h' is not a duration for 'grace'", hint: "use a whole number and one unit: 30s, 15m, 72h, 90d or 2w"),
        BrokenCase("duration without a unit", withLine("grace: 30"), at: (4, 8), "'30' is not a duration for 'grace'"),
        BrokenCase("duration in words", withLine("grace: 3 days"), at: (4, 8), "'3 days' is not a duration for 'grace'"),
        BrokenCase("negative duration", withLine("grace: -1d"), at: (4, 8), "'-1d' is not a duration for 'grace'"),
        BrokenCase("duration in years", withLine("emergency_grace: 10y"), at: (4, 18), "'10y' is not a duration for 'emergency_grace'"),
        BrokenCase("duration as a list", withLine("grace: [1h]"), at: (4, 8), "expected a duration"),

        // Schedule
        BrokenCase("both every and cron", withLine("schedule: {every: 30d, cron: \"0 3 * * 1\"}"), at: (4, 24),
                   "schedule has both 'every' and 'cron'", hint: "keep one of them"),
        BrokenCase("neither every nor cron", withLine("schedule: {window: \"02:00-04:00\"}"), at: (4, 11),
                   "schedule needs 'every' or 'cron'"),
        BrokenCase("misspelt schedule key", withLine("schedule: {every: 30d, windw: \"02:00-04:00\"}"), at: (4, 24),
                   "unknown key 'windw' in schedule", hint: "did you mean 'window'?"),
        BrokenCase("zero interval", withLine("schedule: {every: 0s}"), at: (4, 19), "'every' must be longer than 0s"),
        BrokenCase("cron field out of range", withLine("schedule: {cron: \"61 * * * *\"}"), at: (4, 18),
                   "bad cron expression: minute: 61 is out of range (allowed 0-59)"),
        BrokenCase("cron with four fields", withLine("schedule: {cron: \"0 3 * *\"}"), at: (4, 18),
                   "bad cron expression: expected 5 fields"),
        BrokenCase("cron that never fires", withLine("schedule: {cron: \"0 0 30 2 *\"}"), at: (4, 18),
                   "cron expression \"0 0 30 2 *\" never fires"),
        BrokenCase("malformed window", withLine("schedule: {every: 30d, window: \"2-4\"}"), at: (4, 32),
                   "bad window '2-4': write it as HH:MM-HH:MM"),
        BrokenCase("zero-length window", withLine("schedule: {every: 30d, window: \"03:00-03:00\"}"), at: (4, 32),
                   "the window never opens"),
        BrokenCase("misspelt time zone", withLine("schedule: {every: 30d, timezone: Europe/Berlim}"), at: (4, 34),
                   "unknown time zone 'Europe/Berlim'", hint: "did you mean 'Europe/Berlin'?"),
        BrokenCase("time zone in lower case", withLine("schedule: {every: 30d, timezone: utc}"), at: (4, 34),
                   "unknown time zone 'utc'", hint: "did you mean 'UTC'?"),
        BrokenCase("grace longer than the interval", withLine("schedule: {every: 12h, warn_before: 1h}\ngrace: 24h"), at: (5, 8),
                   "grace 1d is longer than the schedule's interval 12h", hint: "set grace: to at most 12h"),
        BrokenCase("default grace longer than the interval", withLine("schedule: {every: 12h, warn_before: 1h}"), at: (4, 19),
                   "grace 1d (the default) is longer than the schedule's interval 12h"),
        BrokenCase("grace longer than the cron's gaps", withLine("schedule: {cron: \"0 * * * *\", warn_before: 10m}"), at: (4, 18),
                   "grace 1d (the default) is longer than the schedule's shortest gap between firings 1h"),
        BrokenCase("written warning not before the interval", withLine("schedule: {cron: \"0 3 * * 1\", warn_before: 7d}"), at: (4, 44),
                   "warn_before 7d is not shorter than the schedule's shortest gap between firings 7d", hint: "or [] for none"),
        BrokenCase("warning as long as the interval", withLine("schedule: {every: 30d, warn_before: [7d, 30d]}"), at: (4, 42),
                   "warn_before 30d is not shorter than the schedule's interval 30d"),
        BrokenCase("the same warning twice", withLine("schedule: {every: 30d, warn_before: [1d, 24h]}"), at: (4, 42),
                   "warn_before lists 1d twice"),
        BrokenCase("warning that is not a duration", withLine("schedule: {every: 30d, warn_before: soon}"), at: (4, 37),
                   "'soon' is not a duration for 'warn_before'"),
        BrokenCase("schedule as a string", withLine("schedule: monthly"), at: (4, 11), "expected a mapping for 'schedule', got a string"),

        // Policy
        BrokenCase("negative max_skips", withLine("policy: {max_skips: -1}"), at: (4, 21),
                   "'max_skips' cannot be negative, got -1"),
        BrokenCase("misspelt policy key", withLine("policy: {max_skip: 3}"), at: (4, 10),
                   "unknown key 'max_skip' in policy", hint: "did you mean 'max_skips'?"),
        BrokenCase("max_age without a unit", withLine("policy: {max_age: 90}"), at: (4, 19), "'90' is not a duration for 'max_age'"),
        BrokenCase("max_grace shorter than grace", withLine("policy: {max_grace: 12h}"), at: (4, 21),
                   "policy.max_grace 12h is shorter than grace 1d"),
        BrokenCase("policy as a string", withLine("policy: strict"), at: (4, 9), "expected a mapping for 'policy', got a string"),

        // Notify
        BrokenCase("misspelt channel", withLine("notify: [security-slak]"), at: (4, 10),
                   "unknown channel 'security-slak' in notify", hint: "did you mean 'security-slack'?"),
        BrokenCase("unknown channel with nothing close", withLine("notify: [pagerduty]"), at: (4, 10),
                   "unknown channel 'pagerduty' in notify",
                   hint: "channels defined in rotor.yml: customers, oncall-email, security-slack"),
        BrokenCase("notify as a string", withLine("notify: security-slack"), at: (4, 9),
                   "expected a list of channel names for 'notify', got a string"),
        BrokenCase("channel listed twice", withLine("notify: [customers, customers]"), at: (4, 21),
                   "channel 'customers' is listed twice in notify"),
    ]

    @Test("each broken playbook gives its one problem at the right place", arguments: cases)
    func brokenPlaybookReportsItsProblem(_ example: BrokenCase) throws {
        let (playbook, diagnostics) = TestCatalog.parser.parse(file: "Playbooks/broken.yml", text: example.yaml)
        #expect(playbook == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1, "expected one problem, got: \(diagnostics)")
        #expect(diagnostic.location == PlaybookLocation(file: "Playbooks/broken.yml", line: example.line, column: example.column),
                "\(diagnostic)")
        #expect(diagnostic.message.contains(example.message), "\(diagnostic)")
        if let hint = example.hint {
            #expect(diagnostic.hint?.contains(hint) == true, "\(diagnostic)")
        }
    }

    @Test func aDiagnosticIsOneLineWhateverTheValueItQuotes() throws {
        let yaml = lines("secret: \"ok\\nPlaybooks/other.yml:1:1: error: fake\\r\\u001B[2J\"", sourceLine, targetsLine)
        let (_, diagnostics) = TestCatalog.parser.parse(file: "Playbooks/broken.yml", text: yaml)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostic.message.contains("\n"), "the message keeps the value; only its printed form escapes it")
        #expect(!diagnostic.description.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "\(diagnostic)")
        #expect(diagnostic.description.hasPrefix(#"Playbooks/broken.yml:1:9: error: secret name 'ok\nPlaybooks/other.yml:1:1: error: fa"#),
                "\(diagnostic)")
        let short = try #require(TestCatalog.parser.parse(file: "b.yml", text: lines("secret: \"a\\u001B]0;x\\u0007\"", sourceLine, targetsLine)).1.first)
        #expect(short.description.hasPrefix(#"b.yml:1:9: error: secret name 'a\e]0;x\u{7}' is not allowed"#), "\(short)")
    }

    @Test func aFileWithManyProblemsReportsEveryOneInOrder() {
        let yaml = lines(
            "secret: openai-api-key",
            "descripton: x",
            "owner: yes",
            "schedule: { every: 30d, cron: \"0 3 * * 1\", window: \"02:00-02:00\", timezone: Europe/Berlim }",
            "grace: 1.5h",
            "policy: { max_skips: -1, max_age: 90 }",
            "source: { provider: htp }",
            "targets:",
            "  - { provider: vercel, project: web, key: K, environments: [prod, preview], token: sk-live-123 }",
            "  - provider: file",
            "    path: .env",
            "checks: [ { provider: http, url: \"not a url\", expect_status: \"200\" } ]",
            "notify: [ security-slak, pager ]")
        let (playbook, diagnostics) = TestCatalog.parser.parse(file: "p.yml", text: yaml)
        #expect(playbook == nil)
        let expected: [(Int, Int, String)] = [
            (2, 1, "unknown key 'descripton'"),
            (3, 8, "expected a string for 'owner', got a boolean"),
            (4, 25, "schedule has both 'every' and 'cron'"),
            (4, 52, "the window never opens"),
            (4, 77, "unknown time zone 'Europe/Berlim'"),
            (5, 8, "'1.5h' is not a duration for 'grace'"),
            (6, 22, "'max_skips' cannot be negative"),
            (6, 35, "'90' is not a duration for 'max_age'"),
            (7, 21, "unknown source provider 'htp'"),
            (9, 62, "'prod' is not one of production, preview, development"),
            (9, 85, "'token' must be a credential reference"),
            (10, 5, "missing required key 'key' in file target"),
            (12, 34, "'url' must be an absolute http or https URL"),
            (12, 62, "expected a whole number for 'expect_status', got a string"),
            (13, 11, "unknown channel 'security-slak'"),
            (13, 26, "unknown channel 'pager'"),
        ]
        #expect(diagnostics.count == expected.count, "\(diagnostics)")
        for (diagnostic, (line, column, fragment)) in zip(diagnostics, expected) {
            #expect(diagnostic.location.line == line && diagnostic.location.column == column, "\(diagnostic)")
            #expect(diagnostic.message.contains(fragment), "\(diagnostic)")
        }
        // The credential pasted into `token` is never echoed back.
        #expect(!diagnostics.contains { $0.description.contains("sk-live-123") })
    }

    @Test func duplicateKeysAreAllReportedAndTheRestIsStillValidated() {
        let yaml = lines(
            "secret: s",
            "secret: t",
            "source: {provider: random, length: 8}",
            "targets: [{provider: file, path: .env, key: A, key: B, key: C}]",
            "grace: 1h",
            "grace: 2h")
        let (_, diagnostics) = TestCatalog.parser.parse(file: "d.yml", text: yaml)
        let summary = diagnostics.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(summary == [
            "2:1 duplicate key 'secret' (first at line 1, column 1)",
            "3:36 'length' must be from 16 to 256, got 8",
            "4:48 duplicate key 'key' (first at line 4, column 40)",
            "4:56 duplicate key 'key' (first at line 4, column 40)",
            "6:1 duplicate key 'grace' (first at line 5, column 1)",
        ])
    }

    @Test func tooManyProblemsAreCutOffWithANotice() {
        let yaml = base + "\n" + (0..<500).map { "unknown\($0): x" }.joined(separator: "\n") + "\n"
        let (_, diagnostics) = TestCatalog.parser.parse(file: "many.yml", text: yaml)
        #expect(diagnostics.count == 201)
        #expect(diagnostics.last?.message == "too many problems; stopped after 200")
        #expect(diagnostics.first?.location.line == 4)
    }
}
