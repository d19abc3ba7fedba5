import Foundation

/// One line of a rotation's step journal, which tells a restarted runner which effects may have happened.
public struct JournalEntry: Sendable, Equatable {
    public var rotationID: String
    /// Position within the rotation, assigned by the store (1, 2, 3, …).
    public var seq: Int
    /// The step, for example `"propagate:2"` or `"undo:propagate:2"`.
    public var step: String
    public var phase: JournalPhase
    /// JSON details (deploy id, HTTP status); never a secret value.
    public var detail: String?
    public var at: Date

    public init(rotationID: String, seq: Int, step: String, phase: JournalPhase, detail: String? = nil, at: Date) {
        self.rotationID = rotationID
        self.seq = seq
        self.step = step
        self.phase = phase
        self.detail = detail
        self.at = at
    }
}
