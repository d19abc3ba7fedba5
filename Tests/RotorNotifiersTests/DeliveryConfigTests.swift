import Foundation
import RotorCore
import RotorTestSupport
import Testing

/// `rotor.yml`: the good file as documented, and each kind of mistake reported at FILE:LINE:COL with
/// a hint, never echoing a credential written where a reference belongs.
@Suite struct DeliveryConfigTests: ConfigProblemTests {
    static let good = """
        server:   { listen: "127.0.0.1:8750", public_url: "https://rotor.example.com/", admin_token: env:ROTOR_ADMIN_TOKEN, reply_secret: env:ROTOR_REPLY_SECRET }
        channels:
          security-slack: { type: slack, url: env:SLACK_WEBHOOK_URL }
          oncall-email:   { type: email, smtp: "smtps://smtp.example.com:465", username: rotor, password: env:SMTP_PASSWORD, from: rotor@example.com, to: [oncall@example.com, sec@example.org], ca_file: /etc/rotor/ca.pem, require_tls: true }
          hooks:          { type: webhook, url: "https://example.com/rotor", signing_secret: file:/run/secrets/hook }
          customers:      { type: outbox }
        """

    @Test func documentedFileReadsIntoTypedChannelsAndServer() throws {
        let config = try RotorConfig.parse(file: "rotor.yml", text: Self.good)
        #expect(config.server.host == "127.0.0.1")
        #expect(config.server.port == 8750)
        #expect(config.server.publicURL == "https://rotor.example.com", "the trailing slash is dropped so links join cleanly")
        #expect(config.server.adminToken == (try CredentialReference(parsing: "env:ROTOR_ADMIN_TOKEN")))
        #expect(config.server.replySecret == (try CredentialReference(parsing: "env:ROTOR_REPLY_SECRET")))
        #expect(config.channelNames == ["security-slack", "oncall-email", "hooks", "customers"])
        #expect(config.channels["security-slack"] == .slack(SlackChannelConfig(url: try CredentialReference(parsing: "env:SLACK_WEBHOOK_URL"))))
        #expect(config.channels["oncall-email"] == .email(EmailChannelConfig(
            smtp: "smtps://smtp.example.com:465", username: "rotor", password: try CredentialReference(parsing: "env:SMTP_PASSWORD"),
            from: "rotor@example.com", to: ["oncall@example.com", "sec@example.org"], caFile: "/etc/rotor/ca.pem", requireTLS: true)))
        #expect(config.channels["hooks"] == .webhook(WebhookChannelConfig(
            url: "https://example.com/rotor", signingSecret: try CredentialReference(parsing: "file:/run/secrets/hook"))))
        #expect(config.channels["customers"] == .outbox)
        #expect(config.channels["customers"]?.type == "outbox")
    }

    @Test func blockStyleWithDefaultsAndAnonymousEmail() throws {
        let config = try RotorConfig.parse(file: "rotor.yml", text: """
            # Rotor's configuration
            channels:
              relay:
                type: email
                smtp: smtp://mail.internal:25
                from: rotor@example.com
                to:
                  - oncall@example.com
            """)
        #expect(config.server == ServerConfig())
        #expect(config.server.listen == "127.0.0.1:8750")
        guard case .email(let email) = config.channels["relay"] else {
            Issue.record("expected an e-mail channel, got \(String(describing: config.channels["relay"]))")
            return
        }
        #expect(email.username == nil && email.password == nil && email.caFile == nil)
        #expect(email.requireTLS, "TLS stays required unless the file says otherwise")
    }

    @Test func emptyOrCommentOnlyFileIsAnEmptyConfiguration() throws {
        #expect(try RotorConfig.parse(file: "rotor.yml", text: "") == RotorConfig())
        #expect(try RotorConfig.parse(file: "rotor.yml", text: "# nothing yet\n\n---\n") == RotorConfig())
        #expect(try RotorConfig.parse(file: "rotor.yml", text: "channels:\n").channels.isEmpty)
    }

    @Test func missingDefaultFileIsEmptyButMissingNamedFileIsAnError() throws {
        let directory = try TemporaryDirectory()
        #expect(try RotorConfig.load(path: nil, workingDirectory: directory.path) == RotorConfig())

        let missing = directory.file("nope.yml")
        let error = try #require(throws: RotorConfigError.self) { try RotorConfig.load(path: missing) }
        #expect(error.diagnostics.map(\.location.description) == ["\(missing):1:1"])
        #expect(error.description.contains("no such file"))
        #expect(error.description.contains("--config"))

        try Self.good.write(toFile: directory.file("rotor.yml"), atomically: true, encoding: .utf8)
        #expect(try RotorConfig.load(path: nil, workingDirectory: directory.path).channelNames.count == 4)
        #expect(try RotorConfig.load(path: directory.file("rotor.yml")).channelNames.count == 4)
        #expect(throws: RotorConfigError.self) { try RotorConfig.load(path: directory.path) }
    }

    // MARK: - One test per kind of mistake

    @Test func unknownTopLevelKeyGetsDidYouMean() {
        let problem = only("server: {}\nchanels:\n  a: { type: outbox }\n")
        #expect(problem.location.description == "rotor.yml:2:1")
        #expect(problem.message == "unknown key 'chanels' in rotor.yml")
        #expect(problem.hint == "did you mean 'channels'?")
    }

    @Test func unknownServerKeyGetsDidYouMean() {
        let problem = only("server:\n  listen: \"0.0.0.0:9000\"\n  publc_url: https://rotor.example.com\n")
        #expect(problem.location.description == "rotor.yml:3:3")
        #expect(problem.hint == "did you mean 'public_url'?")
    }

    @Test func unknownChannelKeyGetsDidYouMean() throws {
        let text = "channels:\n  hooks: { type: webhook, url: \"https://x.example/h\", signing_secert: env:HOOK }\n"
        let problems = diagnostics(text)
        let unknown = try #require(problems.first { $0.message.hasPrefix("unknown key") })
        #expect(unknown.location.description == "rotor.yml:2:\(column(of: "signing_secert", in: text, line: 2))")
        #expect(unknown.message == "unknown key 'signing_secert' in channel 'hooks' (type webhook)")
        #expect(unknown.hint == "did you mean 'signing_secret'?")
        // And the real key is then missing.
        #expect(problems.contains { $0.message == "missing required key 'signing_secret' in channel 'hooks'" })
    }

    @Test func keyOfAnotherChannelTypeIsNamedAsSuch() {
        let text = "channels:\n  chat: { type: slack, url: env:SLACK, from: rotor@example.com }\n"
        let problem = only(text)
        #expect(problem.location.description == "rotor.yml:2:\(column(of: "from", in: text, line: 2))")
        #expect(problem.hint?.contains("'from' belongs to email channels") == true, "\(problem)")
    }

    @Test func missingTypeIsReportedAtTheChannel() {
        let problem = only("channels:\n  chat:\n    url: env:SLACK\n")
        #expect(problem.location.description == "rotor.yml:3:5")
        #expect(problem.message == "missing required key 'type' in channel 'chat'")
        #expect(problem.hint == "type: slack, slack-app, email, webhook, outbox")
    }

    @Test func unknownTypeGetsDidYouMean() {
        let problem = only("channels:\n  chat: { type: slak, url: env:SLACK }\n")
        #expect(problem.location.description == "rotor.yml:2:17")
        #expect(problem.message == "'slak' is not a channel type")
        #expect(problem.hint == "did you mean 'slack'?")
    }

    @Test func literalSlackWebhookURLIsRefusedWithoutBeingEchoed() {
        let token = "T0SECRET/B0SECRET/xoxcanary123456"
        let text = "channels:\n  chat: { type: slack, url: \"https://hooks.slack.com/services/\(token)\" }\n"
        let problem = only(text)
        #expect(problem.location.description == "rotor.yml:2:\(column(of: "\"https://hooks", in: text, line: 2))")
        #expect(problem.message.contains("'url' is a Slack webhook URL, so it must be a credential reference"))
        #expect(problem.hint?.contains("env:NAME") == true)
        #expect(!"\(problem)".contains("xoxcanary"), "the secret is never repeated: \(problem)")
        #expect(!"\(problem)".contains("hooks.slack.com"))
    }

    @Test func literalSMTPPasswordIsRefusedWithoutBeingEchoed() {
        let text = """
            channels:
              mail:
                type: email
                smtp: smtps://smtp.example.com:465
                username: rotor
                password: hunter2-canary-pw
                from: rotor@example.com
                to: [oncall@example.com]
            """
        let problem = only(text)
        #expect(problem.location.description == "rotor.yml:6:15")
        #expect(problem.message.hasPrefix("'password' is the SMTP password"))
        #expect(!error(text).description.contains("hunter2"))
    }

    @Test func literalSigningSecretAndServerTokensAreRefused() {
        let text = """
            server: { admin_token: "adm1n-canary-token", reply_secret: "r3ply-canary-secret" }
            channels:
              hooks: { type: webhook, url: "https://example.com/rotor", signing_secret: "s1gn-canary-secret" }
            """
        let problems = diagnostics(text)
        #expect(problems.count == 3)
        #expect(problems.map(\.location.line) == [1, 1, 3])
        #expect(problems[0].message.hasPrefix("'admin_token' is the admin API token"))
        #expect(problems[1].message.hasPrefix("'reply_secret' is the reply signing secret"))
        #expect(problems[2].message.hasPrefix("'signing_secret' is the webhook signing secret"))
        let all = error(text).description
        for canary in ["adm1n", "r3ply", "s1gn"] { #expect(!all.contains(canary), "\(all)") }
    }

    @Test func malformedReferencesSayWhatIsMissing() {
        let text = "channels:\n  chat: { type: slack, url: \"env:\" }\n  hooks: { type: webhook, url: \"https://e.example/\", signing_secret: [env:A] }\n"
        let problems = diagnostics(text)
        #expect(problems.count == 2)
        #expect(problems[0].hint == "env: needs a variable name such as env:SMTP_PASSWORD")
        #expect(problems[1].message == "expected a credential reference (env:NAME or file:PATH) for 'signing_secret', got a list")
    }

    @Test func wrongTypesNameWhatWasExpectedAndWhatWasFound() {
        let text = """
            channels:
              mail:
                type: email
                smtp: smtp://mail.internal:25
                from: rotor@example.com
                to: oncall@example.com
                require_tls: "yes"
            """
        let problems = diagnostics(text)
        #expect(problems.map(\.location.description) == ["rotor.yml:6:9", "rotor.yml:7:18"])
        #expect(problems[0].message == "expected a list of e-mail addresses for 'to', got a string")
        #expect(problems[1].message == "expected true or false for 'require_tls', got a string")
    }

    @Test func channelsMustBeAMappingOfNames() {
        let problem = only("channels:\n  - { type: outbox }\n")
        #expect(problem.location.description == "rotor.yml:2:3")
        #expect(problem.message == "expected a mapping of channel names to channels for 'channels', got a list")
    }

    @Test func missingRequiredEmailKeysAreEachReported() {
        let problems = diagnostics("channels:\n  mail: { type: email, smtp: \"smtp://m.example:25\" }\n")
        #expect(problems.map(\.message) == ["missing required key 'from' in channel 'mail'", "missing required key 'to' in channel 'mail'"])
        #expect(problems.allSatisfy { $0.location.description == "rotor.yml:2:9" })
    }

    @Test func smtpMustBeAnSMTPURLWithoutALogin() {
        for bad in ["https://smtp.example.com", "smtp.example.com:587", "smtps://rotor:pw@smtp.example.com:465"] {
            let problem = only("channels:\n  mail: { type: email, smtp: \"\(bad)\", from: a@example.com, to: [b@example.com] }\n")
            #expect(problem.message.hasPrefix("'smtp' must be an smtp:// or smtps:// URL"), "\(bad): \(problem)")
            #expect(problem.location.description == "rotor.yml:2:30")
        }
    }

    @Test func webhookURLMustBeHTTP() {
        let problem = only("channels:\n  hooks: { type: webhook, url: \"ftp://example.com/x\", signing_secret: env:HOOK }\n")
        #expect(problem.message == "'url' must be an absolute http or https URL")
        #expect(problem.location.description == "rotor.yml:2:32")
    }

    @Test func addressesMustBePlain() {
        let problem = only("channels:\n  mail: { type: email, smtp: \"smtp://m.example:25\", from: rotor@example.com, to: [\"Ops <ops@example.com>\"] }\n")
        #expect(problem.message.contains("is not a plain e-mail address"))
    }

    @Test func usernameAndPasswordGoTogether() {
        let problems = diagnostics("""
            channels:
              a: { type: email, smtp: "smtp://m.example:25", from: r@example.com, to: [o@example.com], username: rotor }
              b: { type: email, smtp: "smtp://m.example:25", from: r@example.com, to: [o@example.com], password: env:PW }
            """)
        #expect(problems.map(\.message) == ["'username' is set but 'password' is not in channel 'a'",
                                            "'password' is set but 'username' is not in channel 'b'"])
    }

    @Test func listenNeedsHostAndValidPort() {
        for bad in ["localhost", "127.0.0.1:70000", ":8750", "127.0.0.1:http"] {
            let problem = only("server: { listen: \"\(bad)\" }\n")
            #expect(problem.message == "'listen' must be HOST:PORT with a port from 1 to 65535", "\(bad)")
            #expect(problem.location.description == "rotor.yml:1:19")
        }
        #expect((try? RotorConfig.parse(file: "rotor.yml", text: "server: { listen: \"[::1]:9000\" }"))?.server.host == "::1")
    }

    @Test func publicURLMustBeAbsoluteHTTP() {
        let problem = only("server: { public_url: rotor.example.com }\n")
        #expect(problem.message == "'public_url' must be an absolute http or https URL")
    }

    @Test func invalidChannelNameIsRefused() {
        let problem = only("channels:\n  Security Slack: { type: outbox }\n")
        #expect(problem.location.description == "rotor.yml:2:3")
        #expect(problem.message == "'Security Slack' is not a valid channel name")
    }

    @Test func duplicateChannelIsReportedAtTheSecondOccurrence() {
        let problem = only("channels:\n  hooks: { type: outbox }\n  other: { type: outbox }\n  hooks: { type: outbox }\n")
        #expect(problem.location.description == "rotor.yml:4:3")
        #expect(problem.message == "duplicate key 'hooks' (first at line 2, column 3)")
    }

    @Test func yamlSyntaxErrorHasAPosition() {
        let problem = only("channels:\n  chat: { type: slack, url: env:SLACK\n  other: 1\n")
        #expect(problem.message.hasPrefix("YAML syntax error"))
        #expect(problem.location.line >= 2)
    }

    @Test func everyProblemInAFileIsReportedInPositionOrder() {
        let text = """
            sever: {}
            channels:
              a: { type: slak }
              b: { type: webhook, url: "nope" }
              c: { type: slack, url: "https://hooks.slack.com/services/x" }
            """
        let failure = error(text)
        #expect(failure.diagnostics.map(\.location.line) == [1, 3, 4, 4, 5])
        #expect(failure.description.hasPrefix("rotor.yml is not a valid Rotor configuration (5 problems):\n  rotor.yml:1:1: error: unknown key 'sever'"))
        #expect(failure.description.hasSuffix("fix them and run the command again"))
    }

    // MARK: - Helpers

    /// The one problem in `text`; records an issue when there are more or none.
    private func only(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> Diagnostic {
        let problems = diagnostics(text)
        #expect(problems.count == 1, "\(problems)", sourceLocation: sourceLocation)
        return problems.first ?? Diagnostic(location: PlaybookLocation(file: "none", line: 0, column: 0), message: "none")
    }

    /// The 1-based column of `needle` on line `line` of `text`.
    private func column(of needle: String, in text: String, line: Int) -> Int {
        let row = text.split(separator: "\n", omittingEmptySubsequences: false)[line - 1]
        guard let range = row.range(of: needle) else { return -1 }
        return row.distance(from: row.startIndex, to: range.lowerBound) + 1
    }
}
