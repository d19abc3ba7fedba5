import Foundation
import RotorCore
import Testing

/// rotor.yml's `alerts:` and a playbook's `notify_on:`: read when right, refused at FILE:LINE:COL when wrong.
@Suite struct AlertsConfigTests {
    static let channels = """
        channels:
          oncall-email: { type: email, smtp: "smtp://127.0.0.1:25", from: rotor@example.com, to: [oncall@example.com] }
          security-slack: { type: slack, url: env:SLACK_WEBHOOK_URL }
        """

    func problems(_ alerts: String) -> [Diagnostic] {
        do {
            _ = try RotorConfig.parse(file: "rotor.yml", text: Self.channels + "\n" + alerts + "\n")
            return []
        } catch let error as RotorConfigError {
            return error.diagnostics
        } catch {
            return []
        }
    }

    @Test func alertsChannelsAndRemindEveryAreRead() throws {
        let config = try RotorConfig.parse(file: "rotor.yml", text: Self.channels + "\nalerts: { channels: [oncall-email], remind_every: 12h }\n")
        #expect(config.alerts == AlertsConfig(channels: ["oncall-email"], remindEvery: .seconds(12 * 3600)))
        let defaults = try RotorConfig.parse(file: "rotor.yml", text: Self.channels + "\nalerts: { channels: [security-slack] }\n")
        #expect(defaults.alerts.remindEvery == .seconds(86_400))
        #expect(try RotorConfig.parse(file: "rotor.yml", text: Self.channels).alerts == AlertsConfig())
    }

    @Test func anUnknownAlertChannelIsRefusedWithDidYouMean() throws {
        let found = problems("alerts: { channels: [oncall-emial] }")
        let problem = try #require(found.first)
        #expect(found.count == 1)
        #expect(problem.location.description == "rotor.yml:4:22")
        #expect(problem.message == "unknown channel 'oncall-emial' in alerts.channels")
        #expect(problem.hint == "did you mean 'oncall-email'?")
    }

    @Test func badAlertsShapesAreRefusedWhereTheyAre() {
        #expect(problems("alerts: [oncall-email]").first?.message.contains("expected a mapping") == true)
        #expect(problems("alerts: { channels: [oncall-email], remind_evry: 24h }").first?.hint == "did you mean 'remind_every'?")
        #expect(problems("alerts: { channels: [oncall-email], remind_every: soon }").first?.location.description == "rotor.yml:4:51")
        #expect(problems("alerts: { channels: [oncall-email, oncall-email] }").first?.message
                == "channel 'oncall-email' is listed twice in alerts.channels")
        #expect(problems("alerts: { remind_every: 24h }").first?.message.contains("missing required key 'channels'") == true)
    }

    static let playbook = """
        secret: s
        source: {provider: random}
        targets: [{provider: file, path: .env, key: K}]
        """

    @Test func notifyOnIsReadAndDefaults() throws {
        let (given, _) = TestCatalog.parser.parse(file: "p.yml", text: Self.playbook + "\nnotify_on: [started, completed, revoked]\n")
        #expect(given?.notifyOn == [.started, .completed, .revoked])
        let (plain, _) = TestCatalog.parser.parse(file: "p.yml", text: Self.playbook + "\n")
        #expect(plain?.notifyOn == [.warning, .failed, .emergency])
    }

    @Test func anUnknownNotifyOnEventIsRefusedWithDidYouMean() throws {
        let (playbook, problems) = TestCatalog.parser.parse(file: "p.yml", text: Self.playbook + "\nnotify_on: [failed, complted]\n")
        #expect(playbook == nil)
        let problem = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(problem.location.description == "p.yml:4:21")
        #expect(problem.message == "unknown event 'complted' in notify_on")
        #expect(problem.hint == "did you mean 'completed'?")
    }

    @Test func failuresReachAlertChannelsButLifecycleOnlyTheOptedInPlaybookChannels() {
        let alerts = AlertsConfig(channels: ["oncall", "slack"])
        let audience = AlertAudience(notify: ["slack", "team"], notifyOn: [.started], alerts: alerts)
        #expect(audience.channels(for: .rolledBack) == ["oncall", "slack"])
        #expect(audience.channels(for: .started) == ["slack", "team"])
        #expect(audience.channels(for: .completed) == [])
        #expect(AlertAudience(notify: ["team"], alerts: alerts).channels(for: .failed) == ["team", "oncall", "slack"])
        #expect(audience.channels(for: .notificationGivenUp) == ["oncall", "slack"])
    }
}
