/// Where a rotation stands after the runner let go of it.
public struct RotationOutcome: Sendable {
    public var rotation: RotationRecord
    public var oldVersion: SecretVersionSummary?
    public var newVersion: SecretVersionSummary?
    public var journal: [JournalEntry]

    /// Reached grace or completed: the new value is live and verified.
    public var succeeded: Bool { [.grace, .revoking, .completed].contains(rotation.state) }
}
