import RotorCore

/// The JSON form of a rotation's outcome.
struct OutcomeJSON: Encodable {
    var rotation: RotationSummary
    var old: SecretVersionSummary?
    var new: SecretVersionSummary?
    var succeeded: Bool

    init(_ outcome: RotationOutcome) {
        rotation = RotationSummary(outcome.rotation, lastStep: outcome.journal.last)
        old = outcome.oldVersion
        new = outcome.newVersion
        succeeded = outcome.succeeded
    }
}
