import Foundation
import Metrics

/// The gauges that describe the store rather than this process: each secret's age and `max_age`, the outbox
/// depth and the leases held. Read afresh at every scrape, so that every process serving `/metrics` (one
/// `rotor serve`, several daemons on PostgreSQL) reports the same numbers, and an alert on age fires before a
/// breach even while no daemon runs.
public struct StoreGauges: Sendable {
    let store: any Store
    let playbooks: [Playbook]
    let clock: any RotorClock

    public init(store: any Store, playbooks: [Playbook], clock: any RotorClock) {
        self.store = store
        self.playbooks = playbooks
        self.clock = clock
    }

    /// What one read of the store found.
    public struct Reading: Sendable {
        /// By secret: the age of its current value (nil: never imported) and its playbook's `max_age`, in seconds.
        public var secrets: [String: (age: Double?, maxAge: Double)]
        public var outboxDepth: Int
        public var leasesHeld: Int
    }

    /// Reads the store.
    public func read() async throws -> Reading {
        let now = clock.now
        let secrets = playbooks.filter { !$0.isKeyTable }
        return try await store.transaction { tx in
            var ages: [String: (age: Double?, maxAge: Double)] = [:]
            for playbook in secrets {
                let current = try tx.version(secretName: playbook.secret, label: .current)
                let age = current.map { max(0, now.timeIntervalSince(SecretSchedule.cycleStart(of: $0))) }
                ages[playbook.secret] = (age, playbook.policy.maxAge.timeInterval)
            }
            let depth = try tx.countNotifications(statuses: [.pending, .sending])
            let leases = try tx.activeRotations().filter { ($0.leaseExpiresAt ?? .distantPast) > now && $0.leaseOwner != nil }.count
            return Reading(secrets: ages, outboxDepth: depth, leasesHeld: leases)
        }
    }

    /// Reads the store and sets the gauges. A secret never imported reports its `max_age` only.
    public func refresh() async throws {
        let reading = try await read()
        for (secret, value) in reading.secrets {
            if let age = value.age { Gauge(label: RotorMetrics.secretAge, dimensions: [("secret", secret)]).record(age) }
            Gauge(label: RotorMetrics.secretMaxAge, dimensions: [("secret", secret)]).record(value.maxAge)
        }
        Gauge(label: RotorMetrics.outboxDepth).record(reading.outboxDepth)
        Gauge(label: RotorMetrics.leasesHeld).record(reading.leasesHeld)
    }
}
