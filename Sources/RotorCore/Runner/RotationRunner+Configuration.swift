import Foundation

extension RotationRunner {
    public struct Configuration: Sendable {
        /// Identifies this process as a lease holder.
        public var owner: String
        /// How long a claim or renewal keeps other processes out (ROTOR_LEASE_TTL, default 300 s).
        public var leaseDuration: Duration
        /// How often the lease is renewed while steps are in flight (real time); nil: a third of `leaseDuration`,
        /// well before expiry.
        public var heartbeat: Duration?
        /// Concurrent target writes per provider (and so per vendor API). Vendor calls also wait for the vendor's
        /// rate-limit budget (RotorHTTP's `RateLimitGates`), so this only caps how many targets are open at once.
        public var concurrencyPerProvider: Int
        /// The default of `concurrencyPerProvider` (ROTOR_PROVIDER_CONCURRENCY): high enough that a secret's
        /// targets at one vendor are written together, which the rate-limit gates keep within the vendor's budget.
        public static let defaultConcurrencyPerProvider = 32
        public var fault: FaultPlan?
        /// rotor.yml's `alerts:`: where failures go besides each playbook's `notify:` channels.
        public var alerts: AlertsConfig
        /// Told the new expiry after every heartbeat renewal (a hook for tests and logs).
        public var onLeaseRenewed: (@Sendable (Date) -> Void)?
        /// Where supply links point (rotor.yml `server.public_url`); nil: a supply request names `rotor supply` only.
        public var publicURL: String?

        public init(owner: String = RotationRunner.defaultOwner(), leaseDuration: Duration = .seconds(300),
                    heartbeat: Duration? = nil, concurrencyPerProvider: Int = defaultConcurrencyPerProvider, fault: FaultPlan? = nil,
                    alerts: AlertsConfig = AlertsConfig(), onLeaseRenewed: (@Sendable (Date) -> Void)? = nil) {
            self.owner = owner
            self.alerts = alerts
            self.leaseDuration = leaseDuration
            self.heartbeat = heartbeat
            self.concurrencyPerProvider = concurrencyPerProvider
            self.fault = fault
            self.onLeaseRenewed = onLeaseRenewed
        }

        /// The interval between renewals while steps are in flight.
        var heartbeatInterval: Duration { heartbeat ?? leaseDuration / 3 }
    }

    /// What starts a rotation.
    public struct Request: Sendable {
        public var trigger: RotationTrigger
        public var actor: String
        public var reason: String?
        public var grace: Duration?
        public var revokeImmediately: Bool
        /// The new rotation's id, when the caller must name it before it starts (an emergency answered at once).
        public var id: String?

        public init(trigger: RotationTrigger, actor: String, reason: String? = nil, grace: Duration? = nil,
                    revokeImmediately: Bool = false, id: String? = nil) {
            self.id = id
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
        /// A person revoked the old credential by hand while its revoke was stalled: record it and complete.
        case revokedManually(actor: String, reason: String)
        /// A person supplied the new value of a rotation waiting in `awaiting_value` (already checked; the runner's
        /// factory hands it to the generate step).
        case valueSupplied(actor: String)
    }
}
