import RotorCore

/// The rules for customer keys, from the key-table playbook (`source: { provider: key-table }`).
public struct KeyTablePolicy: Sendable, Equatable {
    public var grace: Duration
    public var emergencyGrace: Duration
    public var maxAge: Duration
    public var warnBefore: Duration
    /// At the grace end, an old key used within this window keeps working (a mobile app still ships it).
    public var revokeWhenUnused: Duration?
    /// How far such a key's grace may be extended in all.
    public var maxGrace: Duration?
    /// The channels that tell customers about their keys (a new key ready, its pickup, a grace extended): the
    /// key-table playbook's `notify:`, else rotor.yml's channels of type `outbox` (see
    /// ``customerChannels(notify:config:)``). Empty: the channel named ``inboxFallback``.
    public var channels: [String]

    /// The channel customer notices go to when nothing names one: the conventional name of the in-app inbox.
    /// `rotor validate` reports a key-table playbook that leaves its notices to it without rotor.yml defining it.
    public static let inboxFallback = "outbox"

    public init(grace: Duration = .seconds(72 * 3600), emergencyGrace: Duration = .seconds(4 * 3600),
                maxAge: Duration = .seconds(90 * 86400), warnBefore: Duration = .seconds(7 * 86400),
                revokeWhenUnused: Duration? = nil, maxGrace: Duration? = nil, channels: [String] = []) {
        self.grace = grace
        self.emergencyGrace = emergencyGrace
        self.maxAge = maxAge
        self.warnBefore = warnBefore
        self.revokeWhenUnused = revokeWhenUnused
        self.maxGrace = maxGrace
        self.channels = channels
    }

    /// Where customer notices go: `notify` (the key-table playbook's) when it names channels, else every channel of
    /// type `outbox` in `config`, by name; empty when neither has one.
    public static func customerChannels(notify: [String], config: RotorConfig) -> [String] {
        if !notify.isEmpty { return notify }
        return config.channels.filter { if case .outbox = $0.value { true } else { false } }.keys.sorted()
    }

    /// The channels each customer notice is enqueued on.
    var noticeChannels: [String] { channels.isEmpty ? [Self.inboxFallback] : channels }
}
