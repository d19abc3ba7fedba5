import Foundation
import Metrics

/// The names and labels Rotor reports through swift-metrics, and the calls that report them. Whoever runs
/// Rotor chooses the backend (`rotor serve` and `rotor run` bootstrap Prometheus and serve `/metrics`); with none
/// bootstrapped every call is a no-op. Labels carry names (secret, provider, channel), never values.
///
/// The names are Prometheus's conventions: `_total` for counters, `_seconds` for durations and ages, and are
/// what `contrib/prometheus/rotor-rules.yml` alerts on.
public enum RotorMetrics {
    /// Counter: rotations that reached an outcome, by `secret`, `trigger` and `outcome`
    /// (`succeeded`, `rolled_back`, `failed`, `revoke_stalled`).
    public static let rotations = "rotor_rotations_total"
    /// Timer (histogram in seconds): one step of a rotation, by `provider` and `step` (`generate`, `propagate`, …).
    public static let stepDuration = "rotor_rotation_step_duration_seconds"
    /// Counter: customer key verifications, by `result` (`valid`, `unknown`, `revoked`, `bad_format`, …).
    public static let verifyRequests = "rotor_key_verify_requests_total"
    /// Timer (histogram in seconds): customer key verifications, whatever their result.
    public static let verifyDuration = "rotor_key_verify_duration_seconds"
    /// Gauge: outbox notifications waiting to be delivered (pending or being sent).
    public static let outboxDepth = "rotor_outbox_depth"
    /// Counter: delivery attempts of outbox notifications, by `channel` and `outcome`
    /// (`sent`, `retried`, `failed`, `unrecorded`).
    public static let deliveries = "rotor_outbox_deliveries_total"
    /// Timer (histogram in seconds): one scheduler pass of the daemon.
    public static let schedulerPassDuration = "rotor_scheduler_pass_duration_seconds"
    /// Gauge: how late the daemon's last pass started against its cadence (previous start + interval).
    public static let schedulerLag = "rotor_scheduler_lag_seconds"
    /// Gauge: when the daemon's last pass finished, in seconds since 1970 (for `time() - …` staleness rules).
    public static let schedulerLastPass = "rotor_scheduler_last_pass_timestamp_seconds"
    /// Gauge: the daemon's interval between passes.
    public static let schedulerInterval = "rotor_scheduler_interval_seconds"
    /// Gauge: rotations whose lease is held (by any process sharing the store) and not expired.
    public static let leasesHeld = "rotor_leases_held"
    /// Gauge: by `secret`, how long its current value has been live.
    public static let secretAge = "rotor_secret_age_seconds"
    /// Gauge: by `secret`, the playbook's `max_age`.
    public static let secretMaxAge = "rotor_secret_max_age_seconds"

    /// Every name above, for tests and documentation.
    public static let all = [rotations, stepDuration, verifyRequests, verifyDuration, outboxDepth, deliveries,
                             schedulerPassDuration, schedulerLag, schedulerLastPass, schedulerInterval, leasesHeld,
                             secretAge, secretMaxAge]

    /// The outcomes of ``rotations`` and of ``deliveries``.
    public static let rotationOutcomes = ["succeeded", "rolled_back", "failed", "revoke_stalled"]
    public static let deliveryOutcomes = ["sent", "retried", "failed", "unrecorded"]

    /// Creates the counters of `secrets` and `channels` at zero, so that their first increment shows as one:
    /// Prometheus's `increase()` cannot see the first sample of a series, and an alert on the first failure of a
    /// secret would never fire.
    public static func declare(secrets: [String], channels: [String]) {
        for secret in secrets {
            for trigger in RotationTrigger.allCases {
                for outcome in rotationOutcomes {
                    _ = Counter(label: rotations, dimensions: [("secret", secret), ("trigger", trigger.rawValue), ("outcome", outcome)])
                }
            }
        }
        for channel in channels {
            for outcome in deliveryOutcomes { _ = Counter(label: deliveries, dimensions: [("channel", channel), ("outcome", outcome)]) }
        }
    }

    /// A rotation reached `outcome`.
    public static func rotationFinished(secret: String, trigger: RotationTrigger, outcome: String) {
        Counter(label: rotations, dimensions: [("secret", secret), ("trigger", trigger.rawValue), ("outcome", outcome)])
            .increment()
    }

    /// One step of a rotation took `duration`.
    public static func stepFinished(provider: String, step: String, duration: Duration) {
        Timer(label: stepDuration, dimensions: [("provider", provider), ("step", step)]).record(duration: duration)
    }

    /// A step as the `step` label names it: its journal key without the target or check index
    /// (`propagate`, `undo_propagate`), so that the label's values are few.
    public static func stepLabel(_ step: RotationStep) -> String {
        switch step {
        case .generate: "generate"
        case .propagate: "propagate"
        case .verify: "verify"
        case .promote: "promote"
        case .revokeOld: "revoke"
        case .undoPropagate: "undo_propagate"
        case .undoPromote: "undo_promote"
        case .revokeNew: "undo_generate"
        }
    }

    /// One delivery attempt to `channel` ended in `outcome`.
    public static func delivered(channel: String, outcome: String) {
        Counter(label: deliveries, dimensions: [("channel", channel), ("outcome", outcome)]).increment()
    }
}
