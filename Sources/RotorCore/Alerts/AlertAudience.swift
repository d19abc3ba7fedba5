/// Who hears about one secret: its playbook's `notify:` channels, filtered by `notify_on:`, and rotor.yml's
/// `alerts:` channels for every urgent alert.
public struct AlertAudience: Sendable, Equatable {
    /// The playbook's `notify:` channels.
    public var notify: [String]
    /// The playbook's `notify_on:`.
    public var notifyOn: Set<NotifyEvent>
    /// rotor.yml's `alerts:`.
    public var alerts: AlertsConfig

    public init(notify: [String], notifyOn: Set<NotifyEvent> = NotifyEvent.defaults, alerts: AlertsConfig) {
        self.notify = notify
        self.notifyOn = notifyOn
        self.alerts = alerts
    }

    public init(playbook: Playbook, alerts: AlertsConfig) {
        self.init(notify: playbook.notify, notifyOn: playbook.notifyOn, alerts: alerts)
    }

    /// The channels for `type`, each once, playbook channels first.
    public func channels(for type: AlertType) -> [String] {
        let playbook: [String]
        switch type {
        case .started, .progress: playbook = notifyOn.contains(.started) ? notify : []
        case .completed: playbook = notifyOn.contains(.completed) ? notify : []
        case .revoked: playbook = notifyOn.contains(.revoked) ? notify : []
        case .emergencyStarted, .emergencyFinished: playbook = notifyOn.contains(.emergency) ? notify : []
        case .notificationGivenUp: playbook = []
        default: playbook = notifyOn.contains(.failed) ? notify : []
        }
        let all = playbook + (type.isUrgent ? alerts.channels : [])
        var seen = Set<String>()
        return all.filter { seen.insert($0).inserted }
    }
}
