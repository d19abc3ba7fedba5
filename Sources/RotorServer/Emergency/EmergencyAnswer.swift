import Foundation
import RotorCore

/// Where a rotation stands (`GET /v1/rotations/{id}`, followed after an emergency trigger), and the versions by fingerprint and
/// last 4 — never a value.
struct EmergencyAnswer: Encodable, Sendable {
    struct Version: Encodable, Sendable {
        var id: String
        var fingerprint: String
        var last4: String
        var display: String

        init(_ summary: SecretVersionSummary) {
            id = summary.id
            fingerprint = summary.fingerprint
            last4 = summary.last4
            display = summary.display
        }
    }

    var rotationID: String
    var secret: String
    var state: String
    var trigger: String
    var graceEndsAt: Date?
    var revokeImmediately: Bool
    var oldVersion: Version?
    var newVersion: Version?
    /// From the trigger to the new value live and verified on every target (or to the rollback).
    var elapsedSeconds: Double
    var error: String?
    var hint: String?

    enum CodingKeys: String, CodingKey {
        case secret, state, trigger, error, hint
        case rotationID = "rotation_id"
        case graceEndsAt = "grace_ends_at"
        case revokeImmediately = "revoke_immediately"
        case oldVersion = "old_version"
        case newVersion = "new_version"
        case elapsedSeconds = "elapsed_seconds"
    }

    init(_ outcome: RotationOutcome, elapsed: Duration) {
        let rotation = outcome.rotation
        rotationID = rotation.id
        secret = rotation.secretName
        state = rotation.state.rawValue
        trigger = rotation.trigger.rawValue
        graceEndsAt = rotation.graceEndsAt
        revokeImmediately = rotation.revokeImmediately
        oldVersion = outcome.oldVersion.map(Version.init)
        newVersion = outcome.newVersion.map(Version.init)
        elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Still running is not a failure: only a rotation that ended without going live is.
        if !outcome.succeeded && !rotation.state.isActive {
            error = "the emergency rotation of \(rotation.secretName) did not go live: \(rotation.error ?? rotation.state.rawValue)"
            hint = rotation.state == .failed
                ? "the undo did not finish either; `rotor tick` retries it, see `rotor status \(rotation.secretName)`"
                : "every target holds the previous value again; fix the cause (see `rotor history \(rotation.secretName)`) and trigger again"
        }
    }
}
