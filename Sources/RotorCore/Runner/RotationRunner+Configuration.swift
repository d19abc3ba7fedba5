extension RotationRunner {
    public struct Configuration: Sendable {
        /// Identifies this process as a lease holder.
        public var owner: String
        public var leaseDuration: Duration
        /// Concurrent target writes per provider (and so per vendor API).
        public var concurrencyPerProvider: Int
        public var fault: FaultPlan?
        /// rotor.yml's `alerts:`: where failures go besides each playbook's `notify:` channels.
        public var alerts: AlertsConfig

        public init(owner: String = RotationRunner.defaultOwner(), leaseDuration: Duration = .seconds(300),
                    concurrencyPerProvider: Int = 8, fault: FaultPlan? = nil, alerts: AlertsConfig = AlertsConfig()) {
            self.owner = owner
            self.alerts = alerts
            self.leaseDuration = leaseDuration
            self.concurrencyPerProvider = concurrencyPerProvider
            self.fault = fault
        }
    }

    /// What starts a rotation.
    public struct Request: Sendable {
        public var trigger: RotationTrigger
        public var actor: String
        public var reason: String?
        public var grace: Duration?
        public var revokeImmediately: Bool

        public init(trigger: RotationTrigger, actor: String, reason: String? = nil, grace: Duration? = nil,
                    revokeImmediately: Bool = false) {
            self.trigger = trigger
            self.actor = actor
            self.reason = reason
            self.grace = grace
            self.revokeImmediately = revokeImmediately
        }
    }

    /// How `drive` picks the machine up.
    public enum Entry: Sendable, Equatable {
        case resume
        case graceElapsed
        case retryUndo
        case rollback(reason: String)
    }
}
