/// rotor.yml's `alerts:` section: channels that hear every failure and emergency of every secret, on top of
/// each playbook's `notify:` channels, so an alert is never lost for want of a playbook channel.
///
/// ```yaml
/// alerts: { channels: [oncall-email], remind_every: 24h }
/// ```
public struct AlertsConfig: Sendable, Equatable {
    /// Channel names defined under `channels:`.
    public var channels: [String]
    /// How often an unresolved failure is announced again.
    public var remindEvery: Duration

    /// No alert channels; reminders every 24 hours.
    public init(channels: [String] = [], remindEvery: Duration = .seconds(86_400)) {
        self.channels = channels
        self.remindEvery = remindEvery
    }
}
