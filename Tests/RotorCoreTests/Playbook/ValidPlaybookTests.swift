import Foundation
import Testing
import RotorCore

@Suite("Valid playbooks")
struct ValidPlaybookTests {
    private static let hour: Duration = .seconds(3_600)
    private static let day: Duration = .seconds(86_400)

    private func parse(_ yaml: String, parser: PlaybookParser = TestCatalog.parser) throws -> Playbook {
        let (playbook, diagnostics) = parser.parse(file: "Playbooks/test.yml", text: yaml)
        #expect(diagnostics.isEmpty, "\(diagnostics)")
        return try #require(playbook)
    }

    @Test func fullPlaybookParsesToTheModel() throws {
        let playbook = try parse("""
            secret: openai-api-key
            description: OpenAI key used by web and worker
            owner: platform-team
            schedule:
              every: 30d
              warn_before: [1d, 7d]
              window: "02:00-04:00"
              timezone: Europe/Berlin
            policy: { max_age: 90d, max_skips: 3, skip_for: 2w }
            grace: 36h
            emergency_grace: 0s
            source:
              provider: http
              token: env:OPENAI_ADMIN_KEY
              mint:
                method: POST
                url: "https://api.vendor.example/v1/keys"
                headers: { Authorization: "Bearer {{token}}", X-Count: 5 }
                body: { name: rotor, scopes: [read, write], ttl: 90, ratio: 0.5, active: true, note: null }
              revoke: { method: DELETE, url: "https://api.vendor.example/v1/keys/{{handle}}" }
              value: /key
              handle: /id
            targets:
              - { provider: vercel, project: web-app, key: OPENAI_API_KEY, environments: [production, preview], redeploy: true }
              - provider: render
                service: srv-abc123
                key: OPENAI_API_KEY
              - { provider: file, path: /etc/app/.env, format: dotenv, key: OPENAI_API_KEY }
            checks:
              - { provider: http, url: "https://api.example.com/health/openai", expect_status: 200, retries: 3, timeout: 10s }
            notify: [ security-slack, oncall-email ]
            """)
        #expect(playbook.file == "Playbooks/test.yml")
        #expect(playbook.secret == "openai-api-key")
        #expect(playbook.description == "OpenAI key used by web and worker")
        #expect(playbook.owner == "platform-team")

        let schedule = try #require(playbook.schedule)
        #expect(schedule.rule == .every(Self.day * 30))
        #expect(schedule.warnBefore == [Self.day * 7, Self.day])   // longest first, whatever the written order
        #expect(schedule.window == (try TimeWindow(parsing: "02:00-04:00")))
        #expect(schedule.timeZone.identifier == "Europe/Berlin")

        #expect(playbook.policy == RotationPolicy(maxAge: Self.day * 90, maxSkips: 3, skipFor: Self.day * 14))
        #expect(playbook.grace == Self.hour * 36)
        #expect(playbook.emergencyGrace == .zero)

        let source = playbook.source
        #expect(source.provider == "http" && source.kind == .source && source.index == 0 && source.label == "http")
        #expect(source.location == PlaybookLocation(file: "Playbooks/test.yml", line: 13, column: 3))
        #expect(source.string("token") == "env:OPENAI_ADMIN_KEY")
        #expect(source.string("value") == "/key" && source.string("handle") == "/id")
        let mint = try #require(source.value("mint"))
        #expect(mint.mapValue?.map(\.0) == ["method", "url", "headers", "body"])
        #expect(mint["headers"] == .map([("Authorization", .string("Bearer {{token}}")), ("X-Count", .string("5"))]))
        #expect(mint["body"]?.jsonText
                == #"{"name":"rotor","scopes":["read","write"],"ttl":90,"ratio":0.5,"active":true,"note":null}"#)

        #expect(playbook.targets.map(\.provider) == ["vercel", "render", "file"])
        #expect(playbook.targets.map(\.index) == [0, 1, 2])
        #expect(playbook.targets.map(\.kind) == [.target, .target, .target])
        #expect(playbook.targets.map(\.label) == ["vercel web-app OPENAI_API_KEY", "render srv-abc123 OPENAI_API_KEY",
                                                  "file /etc/app/.env OPENAI_API_KEY"])
        #expect(playbook.targets.map(\.location.line) == [24, 25, 28])
        let vercel = playbook.targets[0]
        #expect(vercel.strings("environments") == ["production", "preview"])
        #expect(vercel.bool("redeploy") == true)
        #expect(vercel.string("team") == nil)   // optional and absent
        #expect(playbook.targets[2].string("format") == "dotenv")

        let check = try #require(playbook.checks.first)
        #expect(check.kind == .check && check.label == "http https://api.example.com/health/openai")
        #expect(check.int("expect_status") == 200 && check.int("retries") == 3)
        #expect(check.duration("timeout") == .seconds(10))
        #expect(playbook.notify == ["security-slack", "oncall-email"])
        #expect(!playbook.isKeyTable)
    }

    @Test func minimalPlaybookGetsTheDefaults() throws {
        let playbook = try parse("""
            secret: db-password
            source: {provider: random}
            targets: [{provider: file, path: .env, key: DB_PASSWORD}]
            """)
        #expect(playbook.schedule == nil)
        #expect(playbook.policy == RotationPolicy(maxAge: Self.day * 90, maxSkips: 2, skipFor: Self.day * 30,
                                                  revokeWhenUnused: nil, maxGrace: nil))
        #expect(playbook.grace == Self.hour * 24)
        #expect(playbook.emergencyGrace == Self.hour * 4)
        #expect(playbook.checks.isEmpty && playbook.notify.isEmpty)
        #expect(playbook.description == nil && playbook.owner == nil)
        #expect(playbook.targets.first?.stringMap("nothing") == nil)
    }

    @Test func keyTablePlaybookNeedsNoTargetsAndDefaultsToAThreeDayGrace() throws {
        let playbook = try parse("""
            secret: customer-keys
            source: {provider: key-table}
            schedule: {every: 90d}
            policy: {revoke_when_unused: 24h, max_grace: 14d}
            """)
        #expect(playbook.isKeyTable)
        #expect(playbook.targets.isEmpty)
        #expect(playbook.grace == Self.hour * 72)
        #expect(playbook.policy.revokeWhenUnused == Self.hour * 24)
        #expect(playbook.policy.maxGrace == Self.day * 14)
        #expect(playbook.schedule?.warnBefore == [Self.day * 7])
    }

    @Test func cronScheduleWithASingleWarningAndTheDefaultZone() throws {
        let playbook = try parse("""
            secret: stripe-key
            source: {provider: random, length: 48, alphabet: hex, prefix: sk_}
            targets: [{provider: file, path: .env, key: STRIPE_KEY}]
            schedule: {cron: "0 3 1 * *", warn_before: 2h}
            grace: 1h
            """)
        let schedule = try #require(playbook.schedule)
        #expect(schedule.rule == .cron(try CronExpression(parsing: "0 3 1 * *")))
        #expect(schedule.warnBefore == [Self.hour * 2])
        #expect(schedule.timeZone.secondsFromGMT() == 0)
        #expect(schedule.window == nil)
        #expect(playbook.source.int("length") == 48 && playbook.source.string("prefix") == "sk_")
    }

    @Test(arguments: [("every: 8d", [7]), ("every: 7d", []), ("cron: \"0 3 * * 1\"", []), ("cron: \"0 3 1 * *\"", [7])] as [(String, [Int64])])
    func defaultWarningAppliesOnlyWhereItFitsBeforeTheNextRotation(_ rule: String, _ days: [Int64]) throws {
        let playbook = try parse("""
            secret: s
            source: {provider: random}
            targets: [{provider: file, path: .env, key: K}]
            schedule: {\(rule)}
            """)
        #expect(playbook.schedule?.warnBefore == days.map { Self.day * $0 })
    }

    @Test func sourceProviderGivenThroughAMergeKeyStillSetsTheKeyTableRules() throws {
        let playbook = try parse("""
            secret: customer-keys
            x-source: &keys {provider: key-table}
            source: {<<: *keys}
            """)
        #expect(playbook.isKeyTable && playbook.targets.isEmpty && playbook.grace == Self.hour * 72)
    }

    @Test func anchorsMergeKeysAndExtensionKeysShareSettings() throws {
        let playbook = try parse("""
            secret: shared
            x-vercel: &vercel { provider: vercel, project: web-app, environments: [production] }
            source: {provider: random}
            targets:
              - <<: *vercel
                key: A
              - <<: *vercel
                key: B
                environments: [preview]
            """)
        #expect(playbook.targets.map { $0.string("key") } == ["A", "B"])
        #expect(playbook.targets.map { $0.string("project") } == ["web-app", "web-app"])
        #expect(playbook.targets.map { $0.strings("environments") } == [["production"], ["preview"]])
    }

    @Test func numbersAndDatesInStringFieldsAreKeptAsWritten() throws {
        let playbook = try parse("""
            secret: "0123"
            owner: 2026-01-01
            source: {provider: random}
            targets: [{provider: vercel, project: 12345, key: "K", team: 0x1F}]
            """)
        #expect(playbook.secret == "0123")
        #expect(playbook.owner == "2026-01-01")
        #expect(playbook.targets[0].string("project") == "12345")
        #expect(playbook.targets[0].string("team") == "0x1F")
    }

    @Test func notifyIsNotCheckedWithoutAChannelList() throws {
        let parser = PlaybookParser(catalog: TestCatalog.catalog)
        let playbook = try parse("""
            secret: s
            source: {provider: random}
            targets: [{provider: file, path: .env, key: K}]
            notify: [anything-goes]
            """, parser: parser)
        #expect(playbook.notify == ["anything-goes"])
    }

    @Test func windowsLineEndingsKeepLineNumbers() {
        let yaml = "secret: s\r\nsource: {provider: random}\r\ntargets: [{provider: file, path: .env, key: K}]\r\ngracee: 1h\r\n"
        let (_, diagnostics) = TestCatalog.parser.parse(file: "crlf.yml", text: yaml)
        #expect(diagnostics.map(\.location.line) == [4])
    }

    @Test(arguments: ["a", "0", "openai-api-key", "db.primary_password", String(repeating: "x", count: 63)])
    func validSecretNames(_ name: String) {
        #expect(Playbook.isValidSecretName(name))
    }

    @Test(arguments: ["", "-a", ".a", "_a", "A", "a b", "a/b", "ä", String(repeating: "x", count: 64)])
    func invalidSecretNames(_ name: String) {
        #expect(!Playbook.isValidSecretName(name))
    }
}
